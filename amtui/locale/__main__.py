"""``python -m amtui.locale update|check``: see the package docstring."""

import sys

from amtui.locale import LANGUAGES, problems, update

if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        for language, left in update().items():
            print(f"{language}: {left} texts to translate")
    elif command == "check":
        found = [p for language in LANGUAGES for p in problems(language)]
        print("\n".join(found) or "every text has a translation")
        sys.exit(1 if found else 0)
    else:
        sys.exit("usage: python -m amtui.locale update|check")
