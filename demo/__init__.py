"""The demo county of 进贤县, built by ``manage.py seed_demo`` (demo.seed)."""
