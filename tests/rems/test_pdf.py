"""The monitoring form PDF: it renders, has visible pages, and carries every label and value."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from remission.accounts.models import Membership
from remission.patients.models import Patient
from remission.rems.forms_data import monitoring_form_for
from remission.rems.pdf import DISCLAIMER, monitoring_form_pdf, pdf_filename
from tests.world.rems import (
    CERTIFICATION,
    FIRST_DEVICE,
    LOT,
    esketamine_course,
    esketamine_session,
    full_world,
)

pytestmark = pytest.mark.django_db

PDFTOPPM = "/usr/bin/pdftoppm"
PDFTOTEXT = "/usr/bin/pdftotext"


def _render(members: dict[str, Membership], patient: Patient, complete: bool = True) -> bytes:
    if complete:
        session = full_world(members, patient).session
    else:
        course = esketamine_course(members, patient)
        session = esketamine_session(
            members, patient, course, charted=False, discharged=False, signed=False
        ).session
    data = monitoring_form_for(session)
    return monitoring_form_pdf(
        data,
        clinic=patient.clinic,
        mrn=patient.mrn,
        generated_at=FIRST_DEVICE + dt.timedelta(days=1),
        generated_by="Nurse Alpha (nurse-alpha)",
    )


def _text(pdf: bytes, tmp_path: Path) -> str:
    if not Path(PDFTOTEXT).exists():
        pytest.skip(f"{PDFTOTEXT} (poppler-utils) is not installed; cannot extract the PDF text")
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, str(source), "-"], capture_output=True, check=True, text=True)
    return out.stdout


def _squeezed(text: str) -> str:
    """Without whitespace or hyphens: labels and values wrap inside the form's narrow cells,
    and pdftotext joins a word broken at a hyphen without it."""
    return re.sub(r"[\s-]", "", text)


def test_the_pdf_renders_to_a_non_blank_page(
    members: dict[str, Membership], patient: Patient, tmp_path: Path
) -> None:
    pdf = _render(members, patient)
    assert pdf.startswith(b"%PDF-")
    assert shutil.which(PDFTOPPM) or Path(PDFTOPPM).exists(), "pdftoppm is required"
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(source), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages, "pdftoppm produced no page"
    with Image.open(pages[0]) as image:
        grey = image.convert("L")
        assert grey.size[0] > 400 and grey.size[1] > 500  # a Letter page at 60 dpi: 510 × 660
        stats = ImageStat.Stat(grey)
        assert stats.stddev[0] > 20, "the page is blank"
        dark = sum(grey.histogram()[:128])
        assert dark > 2000, "hardly any text on the page"


def test_the_pdf_text_carries_every_section_label_and_value(
    members: dict[str, Membership], patient: Patient, tmp_path: Path
) -> None:
    text = _squeezed(_text(_render(members, patient), tmp_path))
    for expected in (
        DISCLAIMER,
        "Patient Monitoring Form",
        # 1. patient
        "First name",
        "Robin",
        "Last name",
        "Example",
        "Date of birth",
        "1980-04-12",
        "Female",
        "First esketamine treatment?",
        "Enrolled in the REMS?",
        "2026-03-07",
        "RP-778",
        # 2. medication
        "Benzodiazepines",
        "Non-benzodiazepine sedative hypnotics",
        "Psychostimulants",
        "MAO inhibitors",
        "Opioids",
        "intake of 2026-02-28",
        # 3. HCP: the nurse who charted the vital signs
        "Nurse Alpha",
        "(207) 555-0142",
        "nurse-alpha@example.org",
        # 4. setting
        "Alpha Ketamine Clinic",
        "12 Harbor Street, Portland, ME, 04101",
        CERTIFICATION,
        # 5. session
        "Treatment date",
        "2026-03-10",
        "56 mg",
        LOT,
        "Total monitoring time",
        "125 min",
        "Could have left after",
        "75 min",
        # 6./7. vitals and blood pressure
        "Acceptable before administration?",
        "128/82 mmHg",
        "146/90 mmHg",
        "131/80 mmHg",
        # 8. adverse events
        "Sedation?",
        "Dissociation?",
        "Respiratory depression?",
        "Changes in vital signs?",
        "Serious adverse event?",
        "Every field is answered from the chart",
        "Submit by 2026-03-17",
        "Generated 2026-03-11 10:00 by Nurse Alpha",  # 14:00 UTC in the clinic's zone
        "at 09:50 (−10 min from the first device)",
    ):
        assert _squeezed(expected) in text, f"{expected!r} is not in the PDF text"
    assert "Notrecorded" not in text


def test_an_incomplete_form_says_so_in_the_pdf(
    members: dict[str, Membership], patient: Patient, tmp_path: Path
) -> None:
    text = _squeezed(_text(_render(members, patient, complete=False), tmp_path))
    for expected in (
        "Incomplete: 23 fields not recorded in the chart",
        "Blood pressure: Before administration",
        "Healthcare setting: REMS certification number",
        "Not recorded",
        "No REMS enrollment is on record for this patient.",
    ):
        assert _squeezed(expected) in text, f"{expected!r} is not in the PDF text"


def test_the_pdf_file_name_names_the_session_and_mrn(
    members: dict[str, Membership], patient: Patient
) -> None:
    data = monitoring_form_for(full_world(members, patient).session)
    assert pdf_filename(data, "A-0001") == "rems-monitoring-form-2026-03-10-A-0001.pdf"
    assert pdf_filename(data, '../"x') == "rems-monitoring-form-2026-03-10-x.pdf"
