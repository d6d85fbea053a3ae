"""Out-of-sample validation and cost of the CEADs-method derivation of provincial energy-related CO2.

Run: ``python benchmarks/bench_ceads_derivation.py [--repeat N]``. Reads the CEADs energy inventories 2011–2022
and CO2 inventories 2011–2019 from the public data, recovers the factors on 2011–2016, predicts 2017–2019 and
prints the error of every province total (derived ÷ published − 1), the median and the largest; then the time
and peak memory of reading the inputs and of the computation (calibrate on 2011–2019, derive 2020–2022), with
the problem size and the machine load. Baseline: the rough single-factor-per-fuel rule of PROVENANCE.md §17
check (2), which gave 0.88–1.05 of the CEADs 2019 totals.
"""

from __future__ import annotations

import argparse
import os

from _timing import measure
from coreduce.data import ceads_method
from coreduce.data.readers import ceads_derived
from coreduce.paths import shared_data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    root = shared_data_dir()
    print(f"machine load (1, 5, 15 min): {os.getloadavg()}")
    seconds, peak, (activity, emissions) = measure(lambda: ceads_derived.read_inputs(root), args.repeat)
    print(
        f"read inputs: {len(activity):,} activity cells, {len(emissions):,} CO2 cells; {seconds:.2f} s, {peak:.0f} MiB"
    )
    for level in ("sector", "province"):
        check = ceads_method.validate(activity, emissions, *ceads_derived.VALIDATION, level=level)
        print(check.summary())
        print(f"worst five provinces (factors by {level}):")
        print(check.by_province().head().to_string(index=False))

    def derive():
        factors = ceads_method.calibrate(activity, emissions, ceads_derived.CALIBRATION)
        return ceads_method.apply_factors(activity[activity["year"].isin(ceads_derived.DERIVED)], factors)

    seconds, peak, derived = measure(derive, max(args.repeat, 3))
    print(f"calibrate + derive: {len(derived):,} cells; {seconds:.3f} s, {peak:.0f} MiB")

    # baseline: one factor per fuel (ratio of national sums 2011–2016), no sector or province detail
    def pooled(frame, column):
        return frame.groupby(["year", "fuel"])[column].sum().reset_index().assign(geo="all", sector="all")

    one = ceads_method.calibrate(
        pooled(activity, "activity"), pooled(emissions, "value"), ceads_derived.VALIDATION[0]
    ).set_index("fuel")["factor"]
    test = activity[activity["year"].between(2017, 2019)]
    rough = (test["activity"] * test["fuel"].map(one)).groupby([test["geo"], test["year"]]).sum()
    ratio = rough / ceads_method.province_totals(emissions[emissions["year"] >= 2017])
    print(
        f"baseline (one factor per fuel): derived ÷ published {ratio.min():.2f}–{ratio.max():.2f}, "
        f"median |error| {(ratio - 1).abs().median() * 100:.2f} %"
    )


if __name__ == "__main__":
    main()
