#!/usr/bin/env python
"""Fill empty translations of a .po file from a Python dict file (msgid → msgstr), then report
what is still untranslated. Usage: po_fill.py PO_FILE [DICT_FILE.py ...]

A DICT_FILE defines `T = {"English": "中文", ...}`; plural entries take a list of forms."""
import runpy
import sys

import polib


def main() -> int:
    po_path, *dict_paths = sys.argv[1:]
    table: dict = {}
    for path in dict_paths:
        table.update(runpy.run_path(path)["T"])
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid in table and not entry.translated():
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value if isinstance(value, str) else value[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
