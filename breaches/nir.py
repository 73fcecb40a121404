"""The NIR rules live in `config.nir` (the lowest layer), so that the free-text screening (`config.screening`) uses
the very same checks. This module keeps the names that breaches and its callers have always imported."""

from config.nir import NirError, make_nir, mask_nir, mask_valid_nir, nir_key, normalize_nir, validate_nir

__all__ = ["NirError", "make_nir", "mask_nir", "mask_valid_nir", "nir_key", "normalize_nir", "validate_nir"]
