"""Images for rich text: the type is told by the bytes, sizes are capped, and an image is served only inside its
district, with headers that keep the browser from guessing."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.errors import Invalid, NotFound
from app.richtext.services import MAX_IMAGE_BYTES, get_image, read_image, store_image, to_document

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def image_bytes(fmt: str = "PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def teacher(make_actor):
    return make_actor("teacher")


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_each_raster_format_is_stored_with_its_facts(teacher, fmt, content_type):
    data = image_bytes(fmt)
    image = store_image(teacher, "photo.bin", data)
    assert image["content_type"] == content_type
    assert (image["width"], image["height"], image["byte_size"]) == (40, 30, len(data))
    assert image["url"] == "/richtext/images/" + image["key"] and len(image["key"]) == 64
    row = get_image(teacher, image["key"])
    assert (row.content_type, row.uploaded_by, row.district_id) == (content_type, teacher.id, teacher.district_id)


def _photo_with_location(fmt: str) -> bytes:
    """A phone photo as phones write it: EXIF saying where it was taken and that it is turned (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees to view
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_photos_location_and_other_metadata_are_not_kept_and_it_is_stored_upright(teacher, fmt):
    data = _photo_with_location(fmt)
    assert Image.open(BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture does carry a location

    image = store_image(teacher, "IMG_0001.jpg", data)
    _row, stored = read_image(teacher, image["key"])

    with Image.open(BytesIO(stored)) as kept:
        assert not kept.getexif() and "exif" not in kept.info and "xmp" not in kept.info
        assert kept.size == (30, 40)  # turned upright
    assert (image["width"], image["height"]) == (30, 40) and image["byte_size"] == len(stored)


def test_a_png_text_chunk_is_not_kept(teacher):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Taken at 12 Elm Street")
    buffer = BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG", pnginfo=info)

    _row, stored = read_image(teacher, store_image(teacher, "a.png", buffer.getvalue())["key"])

    assert b"Elm Street" not in stored


def test_the_same_bytes_twice_are_one_image(teacher):
    data = image_bytes()
    assert store_image(teacher, "a.png", data)["key"] == store_image(teacher, "b.png", data)["key"]


@pytest.mark.parametrize(
    ("data", "wanted"),
    [
        (b"just some text, renamed to .png", "Only PNG, JPEG, GIF and WebP"),
        (SVG, "Only PNG, JPEG, GIF and WebP"),
        (b"<?xml version='1.0'?>" + SVG, "Only PNG, JPEG, GIF and WebP"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "could not be read"),
        (image_bytes("PNG")[:60], "could not be read"),
        (b"GIF89a" + image_bytes("PNG")[6:], "could not be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_what_is_not_an_acceptable_image_is_refused(teacher, data, wanted):
    with pytest.raises(Invalid) as caught:
        store_image(teacher, "image.png", data)
    assert list(caught.value.fields) == ["file"]
    assert wanted in caught.value.fields["file"]


def test_an_image_whose_bytes_contradict_its_magic_is_refused(teacher):
    jpeg_inside_png_magic = b"\x89PNG\r\n\x1a\n" + image_bytes("JPEG")
    with pytest.raises(Invalid):
        store_image(teacher, "x.png", jpeg_inside_png_magic)


def test_an_image_over_8000_pixels_a_side_is_refused(teacher):
    buffer = BytesIO()
    Image.new("1", (8001, 10)).save(buffer, format="PNG")
    with pytest.raises(Invalid) as caught:
        store_image(teacher, "wide.png", buffer.getvalue())
    assert "8000 pixels" in caught.value.fields["file"]


def test_another_districts_image_is_not_found(teacher, make_district, make_user, actor_of):
    key = store_image(teacher, "a.png", image_bytes())["key"]
    other = actor_of(make_user("teacher", district=make_district()))
    with pytest.raises(NotFound):
        get_image(other, key)
    with pytest.raises(NotFound):
        read_image(other, "not-a-key")


def test_an_uploaded_image_can_be_used_in_a_document(teacher):
    url = store_image(teacher, "a.png", image_bytes())["url"]
    doc = to_document(f'<figure><img src="{url}"></figure>')
    assert doc["blocks"][0]["html"] == f'<img src="{url}">'


# ---- over HTTP -------------------------------------------------------------------------------------------------


def _upload(client, data: bytes, name: str = "photo.png", **kwargs):
    # Encoded in memory: the test client's own encoder spools big bodies to a temporary file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(BytesIO(data), name, content_type="image/png")})
    return client.post(
        "/richtext/images", data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs
    )


def test_a_png_uploads_and_is_served_with_safe_headers(as_user):
    client, _user = as_user("teacher")
    response = _upload(client, image_bytes())
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["url"] == body["href"] and body["url"].startswith("/richtext/images/")
    served = client.get(body["url"])
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == "inline"
    assert served.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert served.data == image_bytes()
    again = client.get(body["url"], headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304


def test_a_text_file_renamed_png_is_refused_with_a_json_message(as_user):
    client, _user = as_user("teacher")
    response = _upload(client, b"hello, I am text")
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Only PNG, JPEG, GIF and WebP images can be added."


def test_an_svg_is_refused(as_user):
    client, _user = as_user("teacher")
    response = _upload(client, SVG, "drawing.svg")
    assert response.status_code == 422


def test_six_megabytes_is_refused(as_user):
    client, _user = as_user("teacher")
    response = _upload(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_json()["error"]["message"]


def test_forty_megabytes_is_refused_from_the_header_with_json(as_user):
    # Over MAX_CONTENT_LENGTH, Werkzeug refuses from the Content-Length header (before the app's NUL check or the
    # view could read the body); the editor asks for JSON and gets it.
    client, _user = as_user("teacher")
    response = _upload(client, b"\x00" * (40 * 1024 * 1024), headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == 413


def test_the_upload_message_is_translated(as_user):
    client, _user = as_user("teacher")
    response = _upload(client, b"text", headers={"Accept-Language": "es"})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Solo se pueden añadir imágenes PNG, JPEG, GIF y WebP."


def test_a_post_without_csrf_or_file_is_refused(as_user):
    client, _user = as_user("teacher")
    assert client.post("/richtext/images", data={}, csrf=False).status_code == 400
    response = client.post("/richtext/images", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["error"]["message"]


def test_signed_out_visitors_get_neither_upload_nor_image(app, as_user):
    from tests.browser import Browser

    client, _user = as_user("teacher")
    url = _upload(client, image_bytes()).get_json()["url"]
    visitor = Browser(app)
    assert visitor.get(url).status_code in (302, 401)
    assert _upload(visitor, image_bytes()).status_code in (302, 401)


def test_another_districts_user_gets_404_for_the_image(app, as_user, make_district, make_user):
    from tests.browser import Browser

    client, _user = as_user("teacher")
    url = _upload(client, image_bytes()).get_json()["url"]
    stranger = make_user("teacher", district=make_district())
    other = Browser(app)
    other.login(stranger.email, "correct horse battery")
    assert other.get(url).status_code == 404
    assert other.get("/richtext/images/" + "e" * 64).status_code == 404
    assert other.get("/richtext/images/not-a-key").status_code == 404


def test_the_image_cap_is_five_megabytes():
    assert MAX_IMAGE_BYTES == 5 * 1024 * 1024
