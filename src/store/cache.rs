//! Page cache (to be written).
