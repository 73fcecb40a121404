import hashlib
import hmac

import pytest
from django.test import override_settings

from breaches.crypto import (
    SealError,
    current_seal_key_id,
    nir_digest,
    nir_digests,
    nir_protector,
    seal_nir,
    unseal_nir,
)
from breaches.nir import make_nir

NIR = make_nir()


def test_digest_is_hmac_sha256_of_the_normalised_nir_under_the_digest_key(settings):
    settings.NIR_DIGEST_KEY = "clé-de-test"
    expected = hmac.new("clé-de-test".encode(), NIR.encode(), hashlib.sha256).hexdigest()
    assert nir_digest(NIR) == expected
    assert nir_digest("1 85 05 56 034 001 25") == expected
    settings.NIR_DIGEST_KEY = "une-autre-clé"
    assert nir_digest(NIR) != expected


@pytest.mark.parametrize("key", ["k", "clé-" * 16, "x" * 64, "une clé plus longue qu'un bloc de SHA-256, " * 3])
def test_digest_matches_the_hmac_module_for_short_block_sized_and_long_keys(settings, key):
    settings.NIR_DIGEST_KEY = key
    settings.NIR_DIGEST_PREVIOUS_KEYS = []
    expected = hmac.new(key.encode(), NIR.encode(), hashlib.sha256).hexdigest()
    assert nir_digest(NIR) == expected
    assert nir_digests(NIR) == [expected]


def test_digests_list_current_key_first_then_previous_keys(settings):
    settings.NIR_DIGEST_KEY = "nouvelle"
    settings.NIR_DIGEST_PREVIOUS_KEYS = ["ancienne"]
    current = nir_digest(NIR)
    settings.NIR_DIGEST_KEY = "ancienne"
    old = nir_digest(NIR)
    settings.NIR_DIGEST_KEY = "nouvelle"
    assert nir_digests(NIR) == [current, old]
    settings.NIR_DIGEST_PREVIOUS_KEYS = []
    assert nir_digests(NIR) == [current]


def test_seal_round_trip_random_nonce_and_no_clear_text():
    token, key_id = seal_nir(NIR)
    again, _ = seal_nir(NIR)
    assert token != again
    assert NIR not in token
    assert key_id == current_seal_key_id() and len(key_id) == 12
    assert unseal_nir(token, key_id) == NIR
    assert unseal_nir(again, key_id) == NIR


def test_altered_token_or_unknown_key_is_refused():
    token, key_id = seal_nir(NIR)
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    with pytest.raises(SealError):
        unseal_nir(tampered, key_id)
    with pytest.raises(SealError, match="identifiant"):
        unseal_nir(token, "000000000000")


def test_rotated_seal_key_still_opens_old_tokens():
    with override_settings(NIR_SEAL_KEY="ancienne clé"):
        token, old_id = seal_nir(NIR)
    with override_settings(NIR_SEAL_KEY="nouvelle clé", NIR_SEAL_PREVIOUS_KEYS=["ancienne clé"]):
        assert current_seal_key_id() != old_id
        assert unseal_nir(token, old_id) == NIR
    with override_settings(NIR_SEAL_KEY="nouvelle clé", NIR_SEAL_PREVIOUS_KEYS=[]), pytest.raises(SealError):
        unseal_nir(token, old_id)


def test_the_batch_protector_gives_what_digest_and_seal_give(settings):
    settings.NIR_SEAL_PREVIOUS_KEYS = ["an-older-seal-key"]
    protect = nir_protector()
    nir = make_nir(place="2A004")
    digest, token, key_id = protect(nir)
    assert (digest, key_id) == (nir_digest(nir), current_seal_key_id())
    assert unseal_nir(token, key_id) == nir and token != protect(nir)[1]  # a fresh nonce each time
