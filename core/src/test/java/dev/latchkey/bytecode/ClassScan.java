package dev.latchkey.bytecode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which methods a compiled class refers to, and from which of its own methods, read with ASM: the
 * constant pool's {@code Methodref} and {@code InterfaceMethodref} entries, and per method the
 * targets of its {@code invoke*} instructions and the method handles it uses otherwise (the
 * bootstrap arguments of an {@code invokedynamic}, as method references such as {@code
 * expected::equals} compile to, an {@code ldc} of a handle, a dynamic constant's arguments).
 *
 * @param name internal name, e.g. {@code dev/latchkey/internal/SecretHasher}
 * @param referencedMethods every Methodref and InterfaceMethodref of the constant pool
 * @param callsByMethod per own method ({@code name + descriptor}): the methods it invokes or takes a
 *     handle of
 */
record ClassScan(String name, Set<MethodRef> referencedMethods, Map<String, Set<MethodRef>> callsByMethod) {
  private static final int CONSTANT_METHODREF = 10;
  private static final int CONSTANT_INTERFACE_METHODREF = 11;

  /** A method a class refers to: internal owner name ({@code java/lang/String}), name, descriptor. */
  record MethodRef(String owner, String name, String descriptor) {
    @Override
    public String toString() {
      return owner + "." + name + descriptor;
    }
  }

  /** The own methods (name + descriptor) that call or take a handle of {@code target}. */
  List<String> methodsUsing(MethodRef target) {
    List<String> out = new ArrayList<>();
    callsByMethod.forEach((m, calls) -> {
      if (calls.contains(target)) {
        out.add(m);
      }
    });
    return out;
  }

  /** Reads a class file; ASM throws on anything it cannot parse. */
  static ClassScan of(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    Map<String, Set<MethodRef>> calls = new LinkedHashMap<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        Set<MethodRef> targets = calls.computeIfAbsent(name + descriptor, k -> new LinkedHashSet<>());
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
            targets.add(new MethodRef(owner, method, desc));
          }

          @Override
          public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... arguments) {
            addHandles(arguments, targets);
          }

          @Override
          public void visitLdcInsn(Object value) {
            addHandles(new Object[] {value}, targets);
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ClassScan(reader.getClassName(), constantPoolMethods(reader), calls);
  }

  /** The method handles among bootstrap arguments or constants, dynamic constants' arguments included. */
  private static void addHandles(Object[] values, Set<MethodRef> targets) {
    for (Object v : values) {
      if (v instanceof Handle h && h.getTag() != Opcodes.H_GETFIELD && h.getTag() != Opcodes.H_GETSTATIC
          && h.getTag() != Opcodes.H_PUTFIELD && h.getTag() != Opcodes.H_PUTSTATIC) {
        targets.add(new MethodRef(h.getOwner(), h.getName(), h.getDesc()));
      } else if (v instanceof ConstantDynamic c) {
        Object[] args = new Object[c.getBootstrapMethodArgumentCount()];
        for (int i = 0; i < args.length; i++) {
          args[i] = c.getBootstrapMethodArgument(i);
        }
        addHandles(args, targets);
      }
    }
  }

  /**
   * The method references of the constant pool, read through ClassReader's item offsets: the pool
   * lists every method the class can refer to, whatever refers to it, so a use the visitor above
   * does not attribute to a method still shows up here.
   */
  private static Set<MethodRef> constantPoolMethods(ClassReader reader) {
    Set<MethodRef> out = new LinkedHashSet<>();
    char[] buf = new char[reader.getMaxStringLength()];
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = reader.readByte(offset - 1);
      if (tag == CONSTANT_METHODREF || tag == CONSTANT_INTERFACE_METHODREF) {
        String owner = reader.readClass(offset, buf);
        int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
        out.add(new MethodRef(owner, reader.readUTF8(nameAndType, buf), reader.readUTF8(nameAndType + 2, buf)));
      }
    }
    return out;
  }
}
