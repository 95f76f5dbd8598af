"""OpenMoji pictograms served from the installed package, the About page that credits them,
and choosing a step's pictogram in the instruction editor."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from shopfloor.errors import DomainError
from shopfloor.instructions.models import Instruction
from shopfloor.instructions.services import StepData, add_step, create_instruction
from shopfloor.pictograms import PICTOGRAMS, pictogram_choices

SVG_TAG = "{http://www.w3.org/2000/svg}svg"
PICTOGRAM_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def test_every_pictogram_is_a_cacheable_svg_that_cannot_run_script(client):
    assert len(PICTOGRAMS) >= 40
    assert len({p.key for p in PICTOGRAMS}) == len(PICTOGRAMS)
    for pictogram in PICTOGRAMS:
        response = client.get(f"/pictograms/{pictogram.key}.svg")  # signed out, like a tablet
        assert response.status_code == 200, pictogram.key
        assert response.mimetype == "image/svg+xml"
        # Our own package's files, parsed to prove each one is a whole SVG document.
        assert ET.fromstring(response.data).tag == SVG_TAG, pictogram.key  # noqa: S314
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Security-Policy"] == PICTOGRAM_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["ETag"]


def test_a_pictogram_already_in_the_browser_cache_is_not_sent_again(client):
    first = client.get("/pictograms/help.svg")
    again = client.get("/pictograms/help.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_signed_in_staff_get_the_same_public_caching(signed_in):
    response = signed_in("supervisor").get("/pictograms/pour.svg")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/pictograms/unicorn.svg", "/pictograms/1F44D.svg",
                                  "/pictograms/..%2F..%2F__init__.svg", "/pictograms/help.png"])
def test_an_unknown_pictogram_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_about_page_credits_openmoji_and_the_font_without_signing_in(client):
    page = client.get("/about")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "OpenMoji" in html and "openmoji.org" in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    assert "CC BY-SA 4.0" in html
    assert "Source Sans Pro" in html and 'href="https://openfontlicense.org/"' in html
    from importlib.metadata import version

    assert version("shopfloor") in html


def test_every_page_links_to_the_about_page_in_its_footer(client):
    html = client.get("/sign-in").get_data(as_text=True)
    footer = html[html.index('<footer class="site-footer">'):]
    assert 'href="/about"' in footer


def post(client, url, data, page):
    return client.client.post(url, data={**data, "csrf_token": client.token(page)},
                              content_type="multipart/form-data")


def test_a_supervisor_chooses_a_step_pictogram_and_sees_it_in_the_editor(signed_in,
                                                                         db_session):
    client = signed_in("supervisor")
    editor = client.submit("/instructions/new", {"title": "Mydło", "product_id": "",
                                                 "line": "soap"}).headers["Location"]
    version_id = int(re.search(r"/versions/(\d+)", editor).group(1))
    page = client.get(editor).get_data(as_text=True)
    # "— none —" comes first, so a step has no pictogram unless one is chosen.
    assert re.search(r'id="pictogram-new" name="pictogram"><option (selected )?value="">', page)
    assert 'value="pour"' in page

    added = post(client, f"/instructions/versions/{version_id}/steps",
                 {"kind": "do", "caption": "Wlej bazę.", "photo_alt": "Dzbanek",
                  "pictogram": "pour"}, editor)
    assert added.status_code == 302
    step = db_session.scalar(select(Instruction)).versions[0].steps[0]
    assert step.pictogram == "pour"
    page = client.get(editor).get_data(as_text=True)
    assert re.search(rf'<img id="pictogram-{step.id}-preview" alt="" width="48" height="48" '
                     r'src="/pictograms/pour\.svg\?v=[0-9a-f]+">', page)
    assert '<option selected value="pour">' in page
    preview = re.search(r'src="(/pictograms/pour\.svg\?v=[0-9a-f]+)"', page).group(1)
    assert client.get(preview).status_code == 200

    refused = post(client, f"/instructions/steps/{step.id}",
                   {"action": "save", "kind": "do", "caption": "Wlej bazę.",
                    "photo_alt": "Dzbanek", "pictogram": "unicorn"}, editor)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f'<p class="field-error" id="pictogram-{step.id}-error">' in html
    assert f'aria-describedby="pictogram-{step.id}-hint pictogram-{step.id}-error"' in html
    db_session.expire_all()
    assert db_session.scalar(select(Instruction)).versions[0].steps[0].pictogram == "pour"

    cleared = post(client, f"/instructions/steps/{step.id}",
                   {"action": "save", "kind": "do", "caption": "Wlej bazę.",
                    "photo_alt": "Dzbanek", "pictogram": ""}, editor)
    assert cleared.status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(Instruction)).versions[0].steps[0].pictogram == ""


def test_a_new_step_with_an_unknown_pictogram_is_refused_next_to_the_field(signed_in,
                                                                           db_session):
    client = signed_in("supervisor")
    editor = client.submit("/instructions/new", {"title": "Mydło", "product_id": "",
                                                 "line": "soap"}).headers["Location"]
    version_id = int(re.search(r"/versions/(\d+)", editor).group(1))
    refused = post(client, f"/instructions/versions/{version_id}/steps",
                   {"kind": "do", "caption": "Wlej bazę.", "pictogram": "unicorn"}, editor)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert '<p class="field-error" id="pictogram-new-error">' in html
    assert "Wlej bazę." in html  # what the person typed is kept
    assert db_session.scalar(select(Instruction)).versions[0].steps == []


def test_the_service_refuses_an_unknown_pictogram_for_every_caller(manager):
    draft = create_instruction("Mydło", manager, line="soap").versions[0]
    with pytest.raises(DomainError) as refused:
        add_step(draft, StepData(kind="do", caption="Wlej bazę.", pictogram="unicorn"), manager)
    assert refused.value.field == "pictogram"
    assert add_step(draft, StepData(kind="do", caption="Wlej bazę.", pictogram="pour"),
                    manager).pictogram == "pour"


def test_the_step_choices_start_with_actions_and_name_every_pictogram():
    keys = [key for key, _label in pictogram_choices()]
    assert sorted(keys) == sorted(p.key for p in PICTOGRAMS)
    assert keys.index("pour") < keys.index("help")
