"""Two people saving the same batch at once: the second is told who won, nothing is lost."""

from __future__ import annotations

import threading

from shopfloor.audit.services import history
from shopfloor.errors import ConflictError
from shopfloor.extensions import db
from shopfloor.production.models import Batch


def test_the_second_of_two_simultaneous_edits_gets_a_conflict(app, make_batch, make_user,
                                                             manager):
    batch = make_batch(releasable=True)
    other = make_user(username="ola", role="supervisor", display_name="Ola Supervisor")
    batch_id, seen_version = batch.id, batch.version
    both_loaded = threading.Barrier(2, timeout=20)
    results: dict[str, object] = {}

    def edit(name: str, user_id: int, mould: str, delay_commit: bool):
        from shopfloor.auth.models import User
        from shopfloor.production.services import update_batch_record

        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                mine = db.session.get(Batch, batch_id)
                both_loaded.wait()
                if delay_commit:  # make the order of the two commits certain
                    threading.Event().wait(0.5)
                update_batch_record(mine, {**mine.record, "mould": mould}, user,
                                    expected_version=seen_version)
                results[name] = "saved"
            except ConflictError as exc:
                results[name] = exc
            finally:
                db.session.remove()

    first = threading.Thread(target=edit, args=("manager", manager.id, "M-1", False))
    second = threading.Thread(target=edit, args=("ola", other.id, "M-2", True))
    first.start()
    second.start()
    first.join(30)
    second.join(30)

    assert results["manager"] == "saved"
    assert isinstance(results["ola"], ConflictError)
    assert "Marta Manager" in str(results["ola"].message)
    assert results["ola"].status_code == 409
    db.session.expire_all()
    saved = db.session.get(Batch, batch_id)
    assert saved.record["mould"] == "M-1"
    assert saved.version == seen_version + 1
    edits = [e for e in history(saved) if e.action == "edited"]
    assert edits[0].actor_name == "Marta Manager"
    assert edits[0].changes["record.mould"] == ["", "M-1"]
    assert "Ola Supervisor" not in {e.actor_name for e in edits}
