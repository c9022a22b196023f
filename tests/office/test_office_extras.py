"""The office templates' own tags and filters."""

from django.urls import reverse, set_script_prefix

from web.links import case_path


def test_a_case_path_is_the_reversed_case_url():
    for pk in (1, 42, 987654321, 10**12):
        assert case_path(pk) == reverse("case_detail", args=[pk])


def test_a_case_path_follows_the_script_prefix_of_a_site_served_below_the_root():
    try:
        set_script_prefix("/county/")
        assert case_path(7) == reverse("case_detail", args=[7]) == "/county/cases/7/"
    finally:
        set_script_prefix("/")
    assert case_path(7) == "/cases/7/"
