import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from capacityhub.core.uploads import validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office(kind):
    buffer = io.BytesIO()
    markers = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(markers[kind], "<x/>")
    return buffer.getvalue()


def test_pdf_and_office_files_are_accepted():
    assert validate_upload(SimpleUploadedFile("a.pdf", PDF))[0] == "pdf"
    for kind in ("docx", "xlsx", "pptx"):
        assert validate_upload(SimpleUploadedFile("a." + kind, office(kind)))[0] == kind


def test_content_decides_not_the_name():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable"))
    assert error.value.code == "type"
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("report.docx", PDF))
    assert error.value.code == "mismatch"


def test_size_cap(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("a.pdf", PDF))
    assert error.value.code == "too_large"


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bomb.docx", buffer.getvalue()))
    assert error.value.code == "zip_bomb"
