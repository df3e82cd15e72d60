#!/usr/bin/env python3
"""The baseline of bench_intake.sh: Python's mailbox + email read an mbox and
only save each attachment to a folder (no reading of the cards at all).

usage: baseline_mailbox.py IN.mbox OUT_DIR"""
import email.policy
import mailbox
import os
import sys

box = mailbox.mbox(sys.argv[1], factory=None, create=False)
out = sys.argv[2]
saved = 0
for n, message in enumerate(box):
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    for part in parsed.iter_attachments():
        with open(os.path.join(out, f"{n}-{saved}.bin"), "wb") as f:
            f.write(part.get_payload(decode=True) or b"")
        saved += 1
print(saved)
