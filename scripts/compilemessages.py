"""Compile the gettext catalogues (locale/*/LC_MESSAGES/*.po -> .mo) with polib.

Pure Python, so `make install` needs no GNU gettext on the machine.
"""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "locale"
count = 0
for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    count += 1
print(f"Compiled {count} catalogue(s).")
