"""The free-text screening (config.screening) on texts of a given size: ordinary prose, and the worst cases found
(a text made of near-IBANs, a long run of digits). No database needed.

    python bench/screening.py --size 1000000

Last line: {"size", "prose_ms", "near_ibans_ms", "digits_ms"} (one run each; the machine is shared: noisy).
"""

import argparse
import json
import time

import _setup  # noqa: F401 - Django set up (settings)

from config.screening import identity_data_in

TEXTS = {
    "prose": "Rappel de l'assurée : pièce d'identité demandée, RIB vérifié avec la banque. ",
    "near_ibans": "FR76 3000 4008 ",
    "digits": "3456789012345 ",  # 13 digits, not a NIR (sex 3): every candidate is checked
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per text")
    size = parser.parse_args().size
    result = {"size": size}
    for name, unit in TEXTS.items():
        text = (unit * (size // len(unit) + 1))[:size]
        started = time.perf_counter()
        identity_data_in(text)
        result[f"{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
