"""Staff accounts: password hashing, sign-in, lock-out, sessions and API tokens."""

import datetime

import pytest
from sqlalchemy import select

from knowledge.db import make_engine, session_factory, upgrade
from knowledge.models import StaffAccount, StaffSession
from staff import accounts
from staff.accounts import AccountError, SignInRefused

PASSWORD = "correct horse battery staple"


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def test_passwords_are_salted_scrypt_hashes():
    first, second = accounts.hash_password(PASSWORD), accounts.hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert PASSWORD not in first
    assert accounts.check_password(PASSWORD, first)
    assert not accounts.check_password(PASSWORD + "!", first)
    assert not accounts.check_password(PASSWORD, "not a hash")


def test_weak_passwords_and_bad_names_are_refused(factory):
    with pytest.raises(AccountError, match="12"):
        accounts.create_account(factory, "ana", "short", "editor")
    with pytest.raises(AccountError, match="user name"):
        accounts.create_account(factory, "ana", "ana-is-my-password-1", "editor")
    with pytest.raises(AccountError, match="role"):
        accounts.create_account(factory, "ana", PASSWORD, "boss")
    with pytest.raises(AccountError, match="letters"):
        accounts.create_account(factory, "<script>", PASSWORD, "editor")
    accounts.create_account(factory, "ana", PASSWORD, "editor")
    with pytest.raises(AccountError, match="already"):
        accounts.create_account(factory, "ana", PASSWORD, "editor")


def test_sign_in_session_and_sign_out(factory):
    accounts.create_account(factory, "ana", PASSWORD, "reviewer", "Ana B.")
    staff, token, csrf = accounts.sign_in(factory, "ana", PASSWORD)
    assert staff.role == "reviewer" and staff.can("editor") and not staff.can("admin")
    assert accounts.session_for(factory, token) == (staff, csrf)
    with factory() as session:
        stored = session.execute(select(StaffSession)).scalar_one()
        assert stored.token_hash != token  # only the hash is stored
    accounts.sign_out(factory, token)
    assert accounts.session_for(factory, token) is None


def test_an_expired_session_is_refused(factory):
    accounts.create_account(factory, "ana", PASSWORD, "editor")
    _, token, _ = accounts.sign_in(factory, "ana", PASSWORD)
    with factory() as session, session.begin():
        session.execute(select(StaffSession)).scalar_one().expires_at = datetime.datetime(
            2000, 1, 1
        )
    assert accounts.session_for(factory, token) is None


def test_repeated_wrong_passwords_lock_the_account(factory):
    accounts.create_account(factory, "ana", PASSWORD, "editor")
    for _ in range(accounts.FAILURES_BEFORE_LOCK):
        with pytest.raises(SignInRefused, match="Wrong user name or password"):
            accounts.sign_in(factory, "ana", "wrong password!!")
    with pytest.raises(SignInRefused, match="locked"):
        accounts.sign_in(factory, "ana", PASSWORD)  # even the right password, for now
    with factory() as session, session.begin():
        session.execute(select(StaffAccount)).scalar_one().locked_until = datetime.datetime(
            2000, 1, 1
        )
    assert accounts.sign_in(factory, "ana", PASSWORD)[0].username == "ana"


def test_unknown_user_gets_the_same_message(factory):
    with pytest.raises(SignInRefused, match="Wrong user name or password"):
        accounts.sign_in(factory, "nobody", PASSWORD)


def test_api_tokens(factory):
    staff = accounts.create_account(factory, "bot-sync", PASSWORD, "editor")
    token = accounts.create_api_token(factory, staff.id, "sync script")
    assert accounts.staff_for_api_token(factory, token) == staff
    assert accounts.staff_for_api_token(factory, token + "x") is None
    assert accounts.staff_for_api_token(factory, None) is None


def test_the_first_admin_is_made_by_a_command(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}",
        "PYTHONPATH": str(root),
    }

    def command(*args, password):
        return subprocess.run(
            [sys.executable, "-m", "staff", *args, "--password-stdin"],
            input=password + "\n",
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )

    weak = command("create-admin", "root", password="123")
    assert weak.returncode == 1 and "12" in weak.stderr
    made = command("create-admin", "root", password=PASSWORD)
    assert made.returncode == 0 and "admin account 'root'" in made.stdout
    again = command("create-admin", "root", password=PASSWORD)
    assert again.returncode == 1 and "already" in again.stderr
    editor = command("create-account", "ana", "--role", "editor", password=PASSWORD)
    assert editor.returncode == 0
