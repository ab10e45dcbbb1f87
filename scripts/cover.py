#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cover-letter prose <-> git branch description.

  cover.py read COVER   print the description (subject line, blank, body)
                        held in a cover letter made by format-patch
                        --cover-from-description=subject.
"""
import re
import sys


def read(path):
    text = open(path, encoding="utf-8").read()
    head, _, body = text.partition("\n\n")
    subject = ""
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Subject: "):
            subject = line[len("Subject: "):]
            for cont in lines[i + 1:]:
                if not cont.startswith((" ", "\t")):
                    break
                subject += cont  # unfolding keeps the whitespace
            break
    subject = re.sub(r"^\[[^]]*\]\s*", "", subject)
    # The shortlog starts at the last "Author Name (N):" line after a blank.
    blines = body.split("\n")
    cut = len(blines)
    for i in range(len(blines) - 1, 0, -1):
        if blines[i - 1] == "" and re.match(r"^\S.* \(\d+\):$", blines[i]):
            cut = i
            break
    prose = "\n".join(blines[:cut]).strip("\n")
    sys.stdout.write(subject + "\n\n" + prose + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        sys.exit(__doc__)
