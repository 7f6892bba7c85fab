package stjit.x64;

/** Something that can sit in the r/m field of an instruction: a register or a memory operand. */
public sealed interface Operand permits Reg, Xmm, Mem {}
