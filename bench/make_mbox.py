#!/usr/bin/env python3
"""Writes an mbox of N messages, each with one card attached: the AcroForm
and Word cards of tests/data in turn, each message with its own Message-ID,
sender and Date (June 2018, before the 2018 campaign's deadline).

usage: make_mbox.py OUT.mbox [N]"""
import email.policy
import glob
import os
import sys
from email.message import EmailMessage
from email.utils import format_datetime
import datetime

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "tests", "data")
cards = sorted(glob.glob(os.path.join(data, "acroform", "*.pdf")) + glob.glob(os.path.join(data, "docx", "*.docx")))
out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
kinds = {".pdf": ("application", "pdf"),
         ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}
with open(out, "wb") as mbox:
    for i in range(count):
        card = cards[i % len(cards)]
        m = EmailMessage()
        m["From"] = f"Urząd {i} <urzad{i}@gmina.example>"
        m["To"] = "ROPS <rops@rops.lublin.example>"
        m["Subject"] = f"Karta zgłoszeniowa nr {i}"
        m["Message-ID"] = f"<bench.{i}@gmina.example>"
        sent = datetime.datetime(2018, 6, 4, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        m["Date"] = format_datetime(sent + datetime.timedelta(minutes=i))
        m.set_content("W załączeniu przesyłam kartę zgłoszeniową.")
        with open(card, "rb") as f:
            main, sub = kinds[os.path.splitext(card)[1]]
            m.add_attachment(f.read(), maintype=main, subtype=sub, filename=os.path.basename(card))
        raw = m.as_bytes(policy=email.policy.SMTP.clone(linesep="\n"))
        mbox.write(b"From urzad@gmina.example Mon Jun  4 09:00:00 2018\n")
        mbox.write(raw.replace(b"\nFrom ", b"\n>From "))
        mbox.write(b"\n")
