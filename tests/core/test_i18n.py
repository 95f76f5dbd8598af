"""Polish by default; English from the browser, the sign-in page switch or the account."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import REPO_ROOT


def test_pages_are_polish_by_default(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Zaloguj się" in page


def test_browser_asking_for_english_gets_english(client):
    page = client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page and "Zaloguj się" not in page


def test_browser_preferring_polish_gets_polish(client):
    page = client.get("/sign-in", headers={"Accept-Language": "pl-PL,en;q=0.5"}).get_data(
        as_text=True)
    assert "Zaloguj się" in page


def test_language_switch_before_sign_in_is_remembered_in_the_session(client):
    response = client.submit("/language", {"language": "en", "next": "/sign-in"},
                             page="/sign-in")
    assert response.headers["Location"] == "/sign-in"
    assert "User name" in client.get("/sign-in").get_data(as_text=True)


def test_language_chosen_by_a_user_follows_them_to_every_device(signed_in, app):
    from tests.conftest import FormClient

    client = signed_in("supervisor", username="ola")
    client.submit("/language", {"language": "en", "next": "/"}, page="/")
    assert "Hello, Ola" in client.get("/").get_data(as_text=True)
    tablet = FormClient(app.test_client())
    tablet.sign_in("ola", "correct horse battery")
    assert "Hello, Ola" in tablet.get("/", headers={"Accept-Language": "pl"}).get_data(
        as_text=True)


def test_every_interface_text_has_a_polish_translation():
    """Extract the messages from the code and templates; each must be translated."""
    method_map = [("shopfloor/**.py", "python"),
                  ("templates/**.html", "jinja2.ext:babel_extract")]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    # A plural message (ngettext) is extracted as a tuple and translated in three forms.
    extracted = {message if isinstance(message, str) else tuple(message[:2])
                 for _file, _line, message, _comments, _context
                 in extract_from_dir(str(REPO_ROOT), method_map, keywords=keywords)}
    with (REPO_ROOT / "shopfloor/translations/pl/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="pl")
    translated = {m.id for m in catalog if m.id and not m.fuzzy and (
        all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert len(extracted) > 50, "the extraction found too little"
    missing = sorted(extracted - translated, key=str)
    assert missing == [], "Run ./scripts/translations and translate: " + repr(missing)
