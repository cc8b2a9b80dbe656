"""Pure normalizers: never raise on bad input; they return a value or None plus a reason."""
