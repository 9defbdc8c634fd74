"""OAuth for the emulator: service-account keys, the token endpoint, bearer tokens.

    >>> authority = Authority(token_uri="http://127.0.0.1:8787/token")
    >>> pem = generate_private_key_pem()
    >>> authority.register_service_account("sa@p.iam.gserviceaccount.com", public_pem(pem), "k1")
    >>> token = authority.issue_token("sa@p.iam.gserviceaccount.com")
    >>> authority.principal(f"Bearer {token}")
    'sa@p.iam.gserviceaccount.com'

The token endpoint speaks Google's dialect: the JWT-bearer grant used by
service accounts (RS256 signature checked against the registered public key),
the refresh-token grant and the authorization-code grant (with PKCE) used by a
person's account.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .model import ApiError

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth always signs its assertion for Google's canonical token endpoint,
# whatever token_uri the key file names, so these audiences are accepted too.
GOOGLE_TOKEN_AUDIENCES = (
    "https://oauth2.googleapis.com/token",
    "https://accounts.google.com/o/oauth2/token",
    "https://www.googleapis.com/oauth2/v4/token",
)
CLOCK_SKEW = 300
TOKEN_LIFETIME = 3599

_HELP = ("Expected OAuth 2 access token, login cookie or other valid authentication "
         "credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")


class TokenError(Exception):
    """An OAuth error answered as ``{"error": ..., "error_description": ...}``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.body = {"error": error, "error_description": description}


# ---------------------------------------------------------------- keys & files


def generate_private_key_pem(bits: int = 2048) -> str:
    """A fresh RSA private key, PKCS#8 PEM like Google's key files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(private_key_pem: str) -> str:
    """The public half of a PEM private key (skipping the slow RSA self-check)."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None,
                                             unsafe_skip_rsa_key_validation=True)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode()


def write_private_json(path: str | os.PathLike, data: dict) -> Path:
    """Write JSON readable by the owner only (mode 0600), like a downloaded key."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
    os.chmod(target, 0o600)  # the file may have existed with wider permissions
    return target


def service_account_key(email: str, private_key_pem: str, key_id: str, base_url: str) -> dict:
    """A key file shaped exactly like the JSON Google Cloud Console hands out."""
    project = email.split("@", 1)[1].split(".", 1)[0] if "@" in email else "demo-project"
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id,
        "private_key": private_key_pem,
        "client_email": email,
        "client_id": str(int.from_bytes(hashlib.sha256(email.encode()).digest()[:9], "big")),
        "auth_uri": f"{base_url}/o/oauth2/auth",
        "token_uri": f"{base_url}/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
        + urllib.parse.quote(email),
        "universe_domain": "googleapis.com",
    }


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# ---------------------------------------------------------------- accounts


@dataclass
class ServiceAccount:
    email: str
    key_id: str
    public_key_pem: str

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        key = serialization.load_pem_public_key(self.public_key_pem.encode())
        try:
            key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return False
        return True


@dataclass
class OAuthClient:
    client_id: str
    client_secret: str
    user_email: str  # the person who consents when the auth URL is opened


@dataclass
class Authority:
    """Accounts, OAuth clients and the access tokens handed out."""

    token_uri: str
    service_accounts: dict[str, ServiceAccount] = field(default_factory=dict)
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    refresh_tokens: dict[str, dict] = field(default_factory=dict)
    codes: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)

    # -- registration ------------------------------------------------------

    def register_service_account(self, email: str, public_key_pem: str, key_id: str) -> None:
        self.service_accounts[email] = ServiceAccount(email, key_id, public_key_pem)

    def register_client(self, client_id: str, client_secret: str, user_email: str) -> None:
        self.clients[client_id] = OAuthClient(client_id, client_secret, user_email)

    def add_refresh_token(self, client_id: str, email: str, scope: str = "") -> str:
        token = "1//emu-" + secrets.token_urlsafe(32)
        self.refresh_tokens[token] = {"client_id": client_id, "email": email, "scope": scope}
        return token

    def issue_token(self, email: str, lifetime: int = TOKEN_LIFETIME) -> str:
        token = "ya29.emu-" + secrets.token_urlsafe(32)
        self.tokens[token] = (email, time.time() + lifetime)
        return token

    def revoke_access_tokens(self) -> None:
        """Forget every access token (clients must refresh, as after expiry)."""
        self.tokens.clear()

    # -- bearer tokens -----------------------------------------------------

    def principal(self, authorization: str | None) -> str:
        """The email behind an ``Authorization`` header; ApiError 401 otherwise."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise _unauthenticated("Request is missing required authentication credential. "
                                   + _HELP, "CREDENTIALS_MISSING")
        token = authorization.split(" ", 1)[1].strip()
        entry = self.tokens.get(token)
        if entry is not None:
            email, expires = entry
            if time.time() < expires:
                return email
            raise _unauthenticated("Request had invalid authentication credentials. " + _HELP,
                                   "ACCESS_TOKEN_EXPIRED")
        if token.count(".") == 2 and not token.startswith("ya29."):
            try:
                return self._verify_jwt(token, audiences=None)["iss"]
            except TokenError:
                pass
        raise _unauthenticated("Request had invalid authentication credentials. " + _HELP,
                               "ACCESS_TOKEN_TYPE_UNSUPPORTED")

    # -- token endpoint ----------------------------------------------------

    def token_request(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        """Answer ``POST /token``; raises TokenError with Google's error JSON."""
        grant = form.get("grant_type", "")
        if grant == JWT_GRANT:
            claims = self._verify_jwt(form.get("assertion", ""),
                                      audiences=(*GOOGLE_TOKEN_AUDIENCES, self.token_uri))
            if not claims.get("scope"):
                raise TokenError("invalid_scope", "Invalid OAuth scope or ID token audience "
                                 "provided.")
            return self._grant(claims["iss"])
        if grant == "refresh_token":
            client = self._client(form, basic)
            entry = self.refresh_tokens.get(form.get("refresh_token", ""))
            if entry is None or entry["client_id"] != client.client_id:
                raise TokenError("invalid_grant", "Token has been expired or revoked.")
            return self._grant(entry["email"], scope=entry["scope"])
        if grant == "authorization_code":
            return self._exchange_code(form, basic)
        raise TokenError("unsupported_grant_type", f"Invalid grant_type: {grant}")

    def _grant(self, email: str, scope: str | None = None) -> dict:
        body: dict[str, Any] = {
            "access_token": self.issue_token(email),
            "expires_in": TOKEN_LIFETIME,
            "token_type": "Bearer",
        }
        if scope:
            body["scope"] = scope
        return body

    def _client(self, form: dict[str, str], basic: tuple[str, str] | None) -> OAuthClient:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        client = self.clients.get(client_id)
        if client is None or client.client_secret != secret:
            raise TokenError("invalid_client", "The OAuth client was not found.", status=401)
        return client

    def _verify_jwt(self, assertion: str, audiences: tuple[str, ...] | None) -> dict:
        try:
            header_b64, payload_b64, signature_b64 = assertion.split(".")
            header = json.loads(_b64decode(header_b64))
            claims = json.loads(_b64decode(payload_b64))
            signature = _b64decode(signature_b64)
        except ValueError:
            raise TokenError("invalid_grant", "Invalid JWT: malformed assertion.") from None
        if header.get("alg") != "RS256":
            raise TokenError("invalid_grant", "Invalid JWT: unsupported algorithm.")
        account = self.service_accounts.get(claims.get("iss", ""))
        if account is None:
            raise TokenError("invalid_grant", "Invalid grant: account not found")
        if not account.verify(f"{header_b64}.{payload_b64}".encode(), signature):
            raise TokenError("invalid_grant", "Invalid JWT Signature.")
        now = time.time()
        exp, iat = float(claims.get("exp", 0)), float(claims.get("iat", 0))
        if exp < now - CLOCK_SKEW or iat > now + CLOCK_SKEW or exp - iat > 3600 + CLOCK_SKEW:
            raise TokenError("invalid_grant", "Invalid JWT: Token must be a short-lived token "
                             "(60 minutes) and in a reasonable timeframe. Check your iat and exp "
                             "values in the JWT claim.")
        if audiences is not None and claims.get("aud") not in audiences:
            raise TokenError("invalid_grant", "Invalid JWT: Failed audience check. The right "
                             f"audience is {GOOGLE_TOKEN_AUDIENCES[0]}")
        return claims

    # -- authorization-code flow --------------------------------------------

    def authorize(self, query: dict[str, str]) -> str:
        """``GET /o/oauth2/auth``: the person consents; returns the redirect URL."""
        client = self.clients.get(query.get("client_id", ""))
        redirect = query.get("redirect_uri", "")
        if client is None:
            raise ApiError(401, "The OAuth client was not found.", "invalid_client")
        if query.get("response_type") != "code" or not redirect:
            raise ApiError(400, "Required parameter is missing: response_type or redirect_uri",
                           "invalid_request")
        code = "4/emu-" + secrets.token_urlsafe(24)
        self.codes[code] = {
            "client_id": client.client_id,
            "email": query.get("login_hint") or client.user_email,
            "redirect_uri": redirect,
            "scope": query.get("scope", ""),
            "challenge": query.get("code_challenge"),
            "method": query.get("code_challenge_method", "plain"),
        }
        params = {"state": query.get("state", ""), "code": code, "scope": query.get("scope", "")}
        separator = "&" if "?" in redirect else "?"
        return redirect + separator + urllib.parse.urlencode(params)

    def _exchange_code(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        client = self._client(form, basic)
        entry = self.codes.pop(form.get("code", ""), None)
        if entry is None or entry["client_id"] != client.client_id:
            raise TokenError("invalid_grant", "Malformed auth code.")
        if form.get("redirect_uri") != entry["redirect_uri"]:
            raise TokenError("redirect_uri_mismatch", "Bad Request")
        if entry["challenge"] and not _pkce_ok(entry, form.get("code_verifier", "")):
            raise TokenError("invalid_grant", "Invalid code verifier.")
        body = self._grant(entry["email"], scope=entry["scope"])
        body["refresh_token"] = self.add_refresh_token(client.client_id, entry["email"],
                                                       entry["scope"])
        return body

    # -- persistence ---------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "service_accounts": [vars(sa) for sa in self.service_accounts.values()],
            "clients": [vars(c) for c in self.clients.values()],
            "refresh_tokens": self.refresh_tokens,
        }

    def load_json(self, data: dict) -> None:
        for sa in data.get("service_accounts", []):
            self.service_accounts[sa["email"]] = ServiceAccount(**sa)
        for client in data.get("clients", []):
            self.clients[client["client_id"]] = OAuthClient(**client)
        self.refresh_tokens.update(data.get("refresh_tokens", {}))


def _pkce_ok(entry: dict, verifier: str) -> bool:
    if entry["method"] == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return secrets.compare_digest(expected, entry["challenge"])
    return secrets.compare_digest(verifier, entry["challenge"])


def _unauthenticated(message: str, reason: str) -> ApiError:
    details = [{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "sheets.googleapis.com"},
    }]
    return ApiError(401, message, "UNAUTHENTICATED", details=details,
                    headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
