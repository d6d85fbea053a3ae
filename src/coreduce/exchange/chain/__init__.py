"""The supply chain behind the API: co-accounted uploads, roll-up across tiers, measures and advice, events sent."""
