"""Energy, honestly: read from counters the hardware keeps, or said to be unavailable.

Sources, in order: Intel/AMD RAPL package counters under ``/sys/class/powercap``
(``energy_uj``, wrapping at ``max_energy_range_uj``) and NVIDIA's NVML total-energy counter
(through ``pynvml``, when installed and a GPU is there). An idle baseline — the power drawn
while nothing runs, measured just before — is subtracted, so the figure is what the model's
calls cost. When no counter is readable (virtual machines, containers without access) the
answer is ``unavailable`` with the reason: never a TDP guess presented as a measurement.

Example:
    >>> meter = EnergyMeter(powercap_root="/nonexistent")
    >>> meter.available, meter.reason.startswith("no RAPL counters")
    (False, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["EnergyMeter", "energy_report"]

POWERCAP = "/sys/class/powercap"


def _rapl_zones(root: Path) -> list[tuple[Path, int]]:
    """Top-level RAPL package zones (``intel-rapl:0``, not sub-zones such as ``:0:0``)."""
    zones = []
    for zone in sorted(root.glob("intel-rapl:*")):
        if zone.name.count(":") != 1:
            continue
        energy, limit = zone / "energy_uj", zone / "max_energy_range_uj"
        try:
            int(energy.read_text())
            wrap = int(limit.read_text()) if limit.exists() else 2**32
        except (OSError, ValueError):
            continue  # unreadable (permissions since CVE-2020-8694): not a source
        zones.append((energy, wrap))
    return zones


class EnergyMeter:
    """Reads cumulative energy in joules from whatever counter this machine exposes."""

    def __init__(self, *, powercap_root: str | Path = POWERCAP,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self._zones = _rapl_zones(Path(powercap_root)) if Path(powercap_root).is_dir() else []
        self._nvml: Any = None
        self.source = ""
        self.reason = ""
        if self._zones:
            self.source = f"RAPL ({len(self._zones)} package zone(s))"
        elif self._open_nvml():
            self.source = "NVML total energy"
        else:
            self.reason = (f"no RAPL counters readable under {powercap_root} and no NVML "
                           "energy counter (virtual machine, container or missing permission)")

    @property
    def available(self) -> bool:
        return bool(self.source)

    def _open_nvml(self) -> bool:
        try:
            import pynvml

            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(0)
            pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
        except Exception:  # not installed, no GPU, or a GPU without the counter
            return False
        self._nvml = (pynvml, handle)
        return True

    def _raw(self) -> list[int]:
        if self._zones:
            return [int(path.read_text()) for path, _ in self._zones]
        pynvml, handle = self._nvml
        return [int(pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)) * 1000]  # mJ -> uJ

    def read(self) -> tuple[float, list[int]]:
        """``(time, raw counters in µJ)`` now."""
        return self.clock(), self._raw()

    def joules_between(self, start: list[int], end: list[int]) -> float:
        """Energy between two raw readings, counting one wrap of each counter."""
        total = 0
        wraps = [wrap for _, wrap in self._zones] or [2**63]
        for a, b, wrap in zip(start, end, wraps, strict=True):
            total += b - a if b >= a else b + wrap - a
        return total / 1e6


def energy_report(meter: EnergyMeter, work: Callable[[], int], *,
                  idle_seconds: float = 0.5, sleep: Callable[[float], None] = time.sleep
                  ) -> dict[str, Any]:
    """Run ``work`` (returns how many items it processed) and report its energy per item.

    The idle baseline is measured for ``idle_seconds`` first and subtracted.

    >>> energy_report(EnergyMeter(powercap_root="/nonexistent"), lambda: 10)["energy"]
    'unavailable'
    """
    if not meter.available:
        work()
        return {"energy": "unavailable", "reason": meter.reason}
    t0, idle_start = meter.read()
    sleep(idle_seconds)
    t1, idle_end = meter.read()
    idle_watts = meter.joules_between(idle_start, idle_end) / max(t1 - t0, 1e-9)
    items = work()
    t2, busy_end = meter.read()
    busy_joules = meter.joules_between(idle_end, busy_end)
    net = busy_joules - idle_watts * (t2 - t1)
    return {"energy": "measured", "source": meter.source, "idle_watts": idle_watts,
            "joules": net, "seconds": t2 - t1,
            "joules_per_item": net / items if items else None}
