"""Staff accounts, sign-in sessions and API tokens.

Passwords are hashed with scrypt (hashlib, RFC 7914) and a random salt; only the hash is
stored, and there is no default password anywhere: the first admin is created with
`python -m staff create-admin`. Repeated wrong passwords lock the account for a while.
Session cookies and API tokens are random; the database keeps only their SHA-256."""

import base64
import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional, Text, Tuple

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from knowledge.db import transaction
from knowledge.models import (
    ADMIN,
    EDITOR,
    REVIEWER,
    ROLES,
    ApiToken,
    StaffAccount,
    StaffSession,
    utcnow,
)

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 12
MAX_PASSWORD = 1000
FAILURES_BEFORE_LOCK = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8
RANK = {EDITOR: 1, REVIEWER: 2, ADMIN: 3}


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


def hash_password(password: Text) -> Text:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    encoded = [base64.b64encode(part).decode() for part in (salt, digest)]
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encoded[0]}${encoded[1]}"


def check_password(password: Text, stored: Text) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(digest)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


def check_new_password(password: Text, username: Text) -> None:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"The password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
    if username.casefold() in password.casefold():
        raise AccountError("The password must not contain the user name.")


def token_hash(token: Text) -> Text:
    # "replace": a header or cookie of undecodable bytes is just a token that matches none.
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as the web app sees them."""

    id: int
    username: Text
    display_name: Text
    role: Text

    def can(self, role: Text) -> bool:
        return RANK[self.role] >= RANK[role]


def _staff(account: StaffAccount) -> Staff:
    return Staff(account.id, account.username, account.display_name, account.role)


def create_account(
    factory: sessionmaker, username: Text, password: Text, role: Text, display_name: Text = ""
) -> Staff:
    username = (username or "").strip()
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise AccountError("A user name has 1 to 80 letters, digits, '.', '-' or '_'.")
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}.")
    check_new_password(password, username)
    with transaction(factory) as session:
        if session.execute(select(StaffAccount).filter_by(username=username)).first():
            raise AccountError(f"There is already an account named {username!r}.")
        account = StaffAccount(
            username=username,
            display_name=(display_name or username).strip()[:200],
            password_hash=hash_password(password),
            role=role,
            active=True,
            failed_logins=0,
        )
        session.add(account)
        session.flush()
        return _staff(account)


class SignInRefused(AccountError):
    pass


def sign_in(factory: sessionmaker, username: Text, password: Text) -> Tuple[Staff, Text, Text]:
    """Check the password; return who, a new session token and its CSRF token. The same
    message for an unknown name and a wrong password; a locked account says until when."""
    now = utcnow()
    with transaction(factory) as session:
        account = session.execute(
            select(StaffAccount).filter_by(username=(username or "").strip())
        ).scalar_one_or_none()
        if account is None or not account.active:
            raise SignInRefused("Wrong user name or password.")
        if account.locked_until and account.locked_until > now:
            minutes = int((account.locked_until - now).total_seconds() // 60) + 1
            raise SignInRefused(
                f"Too many wrong passwords: this account is locked for {minutes} more minute(s)."
            )
        if not check_password(password or "", account.password_hash):
            account.failed_logins += 1
            if account.failed_logins >= FAILURES_BEFORE_LOCK:
                account.locked_until = now + datetime.timedelta(minutes=LOCK_MINUTES)
                account.failed_logins = 0
            return_error = SignInRefused("Wrong user name or password.")
        else:
            return_error = None
            account.failed_logins = 0
            account.locked_until = None
            account.last_login_at = now
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            session.add(
                StaffSession(
                    token_hash=token_hash(token),
                    account_id=account.id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + datetime.timedelta(hours=SESSION_HOURS),
                )
            )
            staff = _staff(account)
    # Outside the transaction, so that the failed attempt is counted (committed).
    if return_error is not None:
        raise return_error
    return staff, token, csrf


def session_for(factory: sessionmaker, token: Optional[Text]) -> Optional[Tuple[Staff, Text]]:
    """Who a session cookie belongs to and its CSRF token, or None if unknown or expired."""
    if not token or len(token) > 200:
        return None
    with factory() as session:
        row = session.execute(
            select(StaffSession).filter_by(token_hash=token_hash(token))
        ).scalar_one_or_none()
        if row is None or row.expires_at <= utcnow() or not row.account.active:
            return None
        return _staff(row.account), row.csrf_token


def sign_out(factory: sessionmaker, token: Optional[Text]) -> None:
    if not token:
        return
    with transaction(factory) as session:
        row = session.execute(
            select(StaffSession).filter_by(token_hash=token_hash(token))
        ).scalar_one_or_none()
        if row is not None:
            session.delete(row)


def create_api_token(factory: sessionmaker, account_id: int, name: Text) -> Text:
    """A new API token for an account; shown once, only its hash is kept."""
    token = "mwa_" + secrets.token_urlsafe(32)
    with transaction(factory) as session:
        if session.get(StaffAccount, account_id) is None:
            raise AccountError(f"No account number {account_id}.")
        session.add(ApiToken(token_hash=token_hash(token), account_id=account_id, name=name[:200]))
    return token


def staff_for_api_token(factory: sessionmaker, token: Optional[Text]) -> Optional[Staff]:
    if not token or len(token) > 200:
        return None
    with factory() as session:
        row = session.execute(
            select(ApiToken).filter_by(token_hash=token_hash(token))
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None or not row.account.active:
            return None
        return _staff(row.account)


def list_accounts(factory: sessionmaker) -> list:
    with factory() as session:
        return [
            {
                "id": a.id,
                "username": a.username,
                "display_name": a.display_name,
                "role": a.role,
                "active": a.active,
                "last_login_at": a.last_login_at.isoformat(timespec="minutes")
                if a.last_login_at
                else None,
            }
            for a in session.execute(select(StaffAccount).order_by(StaffAccount.username)).scalars()
        ]
