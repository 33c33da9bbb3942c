"""`scripts/make-letter-templates`: write each registered book's default templates."""

from __future__ import annotations

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from fazhi.core.letters.registry import books
    from fazhi.core.letters.skeleton import build_template

    for book in books():
        book.template_dir.mkdir(parents=True, exist_ok=True)
        for kind in book.kinds:
            path = book.default_template(kind)
            data = build_template(book, kind)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
                sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
