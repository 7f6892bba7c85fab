package stlink.image;

import st.format.model.NativeCode.RelocationKind;

/**
 * A resolved relocation: the bytes at {@code offset} in {@code section} receive the address of
 * {@code target} plus {@code addend} ({@code ABS64}), or the displacement to it from the end of
 * the 4-byte field ({@code REL32}).
 */
public record Fixup(Section section, long offset, RelocationKind kind, Place target, long addend) {}
