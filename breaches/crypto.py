"""Pseudonymised NIR storage: a keyed digest to find a person, an authenticated seal to read the NIR back.

Both keys come from the settings (environment). Keys rotate: the current key writes, previous keys still read
(`nir_digests` gives one digest per key; `unseal_nir` picks the key by its id).
"""

import base64
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from breaches.nir import normalize_nir
from config.errors import ApplicationError

_SEAL_INFO = b"vigie/nir-seal/aes-256-gcm/v1"
_REFERENCE_INFO = b"vigie/opaque-reference/aes-256-gcm/v1"  # another key from the same secret
_NONCE_BYTES = 12


class SealError(ApplicationError):
    """A sealed NIR that cannot be opened (unknown key id, or a token altered or sealed under another key)."""


_SHA256_BLOCK = 64
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))  # translation tables, as in the hmac module
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


@lru_cache(maxsize=8)
def _hmac_states(secret: str) -> tuple:
    """HMAC-SHA256 (RFC 2104) keyed once per key: the inner and outer hash states after the padded key. A digest then
    costs two copies and no Python wrapper: a third of `hmac.new(...).copy()` (imports: 500,000 digests)."""
    key = secret.encode()
    if len(key) > _SHA256_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_SHA256_BLOCK, b"\0")
    return hashlib.sha256(key.translate(_INNER_PAD)), hashlib.sha256(key.translate(_OUTER_PAD))


def _keyed_digest(states: tuple, data: bytes) -> str:
    inner, outer = states[0].copy(), states[1].copy()
    inner.update(data)
    outer.update(inner.digest())
    return outer.hexdigest()


def _digest_with(secret: str, normalised: str) -> str:
    return _keyed_digest(_hmac_states(secret), normalised.encode())


def nir_digest(nir: str) -> str:
    """Hex HMAC-SHA256 of the normalised NIR under the current digest key (deterministic: used for lookups)."""
    return _digest_with(settings.NIR_DIGEST_KEY, normalize_nir(nir))


def nir_digester() -> Callable[[str], list[str]]:
    """nir_digests for a batch of NIRs validate_nir returned (normalised): the keys are read once, not per NIR."""
    secrets = dict.fromkeys([settings.NIR_DIGEST_KEY, *getattr(settings, "NIR_DIGEST_PREVIOUS_KEYS", [])])
    states = [_hmac_states(secret) for secret in secrets]
    return lambda nir: [_keyed_digest(state, nir.encode()) for state in states]


def nir_digests(nir: str) -> list[str]:
    """The NIR's digest under the current key first, then under each previous key (during a rotation)."""
    return nir_digester()(normalize_nir(nir))


@lru_cache(maxsize=8)
def _seal_key(secret: str) -> tuple[str, AESGCM]:
    """(key id, cipher) for a secret of any length: HKDF-SHA256 derives the 32-byte AES key."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(secret.encode())
    key_id = hashlib.sha256(b"vigie/key-id/" + key).hexdigest()[:12]
    return key_id, AESGCM(key)


def current_seal_key_id() -> str:
    return _seal_key(settings.NIR_SEAL_KEY)[0]


def _seal_ciphers() -> dict[str, AESGCM]:
    """Every configured seal key (current and previous) by its id."""
    secrets = [settings.NIR_SEAL_KEY, *getattr(settings, "NIR_SEAL_PREVIOUS_KEYS", [])]
    return dict(map(_seal_key, secrets))


def _seal(cipher: AESGCM, key_id: str, nir: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    return base64.urlsafe_b64encode(nonce + cipher.encrypt(nonce, nir, key_id.encode())).decode()


def _open(ciphers: dict[str, AESGCM], token: str, key_id: str) -> bytes:
    cipher = ciphers.get(key_id)
    if cipher is None:
        raise SealError(f"Aucune clé de scellement configurée ne porte l'identifiant {key_id}.")
    raw = base64.urlsafe_b64decode(token.encode())
    try:
        return cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], key_id.encode())
    except InvalidTag:
        raise SealError("NIR scellé illisible : jeton altéré ou clé différente.")


def seal_nir(nir: str) -> tuple[str, str]:
    """(token, key id): AES-256-GCM under the current seal key, random nonce, key id bound as associated data."""
    key_id, cipher = _seal_key(settings.NIR_SEAL_KEY)
    return _seal(cipher, key_id, normalize_nir(nir).encode()), key_id


def nir_protector() -> Callable[[str], tuple[str, str, str]]:
    """For a batch of NIRs validate_nir returned (normalised): (digest, sealed token, seal key id) as nir_digest and
    seal_nir give them, the keys read once (an import protects 500,000 NIRs)."""
    states = _hmac_states(settings.NIR_DIGEST_KEY)
    key_id, cipher = _seal_key(settings.NIR_SEAL_KEY)

    def protect(nir: str) -> tuple[str, str, str]:
        data = nir.encode()
        return _keyed_digest(states, data), _seal(cipher, key_id, data), key_id

    return protect


def unseal_nir(token: str, key_id: str) -> str:
    """The clear NIR. Raises SealError when no configured key has this id or the token was altered."""
    return _open(_seal_ciphers(), token, key_id).decode()


def nirs_rekeyed(rows: Iterable[tuple[int, int, str, str, str]]) -> Iterator[tuple[int, int, str, str, str]]:
    """For rows (id, breach id, digest, token, key id): those that change when re-keyed, re-keyed (digest under the
    current digest key; token resealed under the current seal key if under another). SealError as unseal_nir.

    The key rotation's loop (500k rows): keys looked up once, no normalising (a sealed NIR already is)."""
    target_id, target = _seal_key(settings.NIR_SEAL_KEY)
    ciphers, states = _seal_ciphers(), _hmac_states(settings.NIR_DIGEST_KEY)
    for person_id, breach_id, digest, token, key_id in rows:
        nir = _open(ciphers, token, key_id)
        new_digest = _keyed_digest(states, nir)
        if key_id != target_id:
            token, key_id = _seal(target, target_id, nir), target_id
        elif new_digest == digest:
            continue
        yield person_id, breach_id, new_digest, token, key_id


@lru_cache(maxsize=8)
def _reference_cipher(secret: str) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_REFERENCE_INFO).derive(secret.encode()))


def seal_reference(text: str) -> str:
    """An opaque token for `text` (a page's hidden reference to something the server knows): AES-256-GCM under a
    key derived from the current seal key, random nonce. Unreadable and unforgeable without the key."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _reference_cipher(settings.NIR_SEAL_KEY).encrypt(nonce, text.encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_reference(token: str) -> str:
    """The text sealed by `seal_reference`; SealError when altered, sealed under another key, or not a token."""
    try:
        raw = base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4))
        return _reference_cipher(settings.NIR_SEAL_KEY).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    except (InvalidTag, ValueError, UnicodeError):
        raise SealError("Référence illisible : altérée, ou scellée sous une autre clé.")
