"""`manage.py openapi` writes the published contract, docs/openapi.yaml, from the code (`make openapi`);
`--check` only says whether the committed file is still the contract (exit status 1 if not)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.schema import contract_yaml

CONTRACT = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


class Command(BaseCommand):
    help = "Write the API's OpenAPI contract to docs/openapi.yaml (or --check it)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file differs")
        parser.add_argument("--file", default=str(CONTRACT), help="where (docs/openapi.yaml)")

    def handle(self, *args, check: bool, file: str, **options):
        path = Path(file)
        content = contract_yaml()
        if check:
            if not path.exists() or path.read_bytes() != content:
                raise CommandError(f"{path} is not the served contract: run `make openapi`.")
            self.stdout.write(f"{path} is the served contract.")
            return
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path}.")
