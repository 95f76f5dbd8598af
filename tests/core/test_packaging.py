"""The wheel carries templates, static files, translations and migrations, and runs from them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from tests.conftest import REPO_ROOT


def test_wheel_carries_its_resources_and_the_app_finds_them(tmp_path):
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                    str(tmp_path / "dist")], cwd=REPO_ROOT, check=True, capture_output=True,
                   timeout=300)
    wheel = next((tmp_path / "dist").glob("shopfloor-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for required in ("shopfloor/templates/base.html", "shopfloor/templates/auth/sign_in.html",
                     "shopfloor/static/css/office.css",
                     "shopfloor/translations/pl/LC_MESSAGES/messages.mo",
                     "shopfloor/migrations/env.py", "shopfloor/migrations/alembic.ini",
                     "shopfloor/migrations/versions/0001_foundation.py"):
        assert required in names, required
    assert any(n.endswith("entry_points.txt") for n in names)

    # Run the app from the unpacked wheel alone (not the checkout) and render a page.
    site = str(tmp_path / "site")
    probe = (
        "import shopfloor, shopfloor.paths as p\n"
        "from shopfloor import create_app\n"
        "app = create_app({'database_url': 'sqlite://', 'secret_key': 'k' * 40})\n"
        f"assert str(p.TEMPLATES_DIR).startswith({site!r}), p.TEMPLATES_DIR\n"
        "page = app.test_client().get('/sign-in').get_data(as_text=True)\n"
        "assert 'Zaloguj się' in page, page[:500]\n"
        "css = app.test_client().get('/static/css/office.css')\n"
        "assert css.status_code == 200\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPFLOOR_")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    env["SHOPFLOOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    result = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
