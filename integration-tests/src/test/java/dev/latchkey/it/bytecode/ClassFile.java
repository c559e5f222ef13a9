package dev.latchkey.it.bytecode;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal reader of the JVM class-file format (JVMS chapter 4), enough to say which methods a
 * class refers to and from which of its own methods: the constant pool's {@code Methodref} and
 * {@code InterfaceMethodref} entries, and per method the targets of its {@code invoke*}
 * instructions and of the method handles its {@code invokedynamic} call sites bootstrap with
 * (method references such as {@code expected::equals}). No dependency: the format is simple.
 */
public final class ClassFile {
  /** A method a class refers to: internal owner name ({@code java/lang/String}), name, descriptor. */
  public record MethodRef(String owner, String name, String descriptor) {
    @Override
    public String toString() {
      return owner + "." + name + descriptor;
    }
  }

  private static final int UTF8 = 1;
  private static final int INTEGER = 3;
  private static final int FLOAT = 4;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int FIELDREF = 9;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int NAME_AND_TYPE = 12;
  private static final int METHOD_HANDLE = 15;
  private static final int METHOD_TYPE = 16;
  private static final int DYNAMIC = 17;
  private static final int INVOKE_DYNAMIC = 18;
  private static final int MODULE = 19;
  private static final int PACKAGE = 20;

  private final String name;
  private final Set<MethodRef> constantPoolMethods;
  private final Map<String, Set<MethodRef>> callsByMethod;

  private ClassFile(String name, Set<MethodRef> constantPoolMethods, Map<String, Set<MethodRef>> callsByMethod) {
    this.name = name;
    this.constantPoolMethods = constantPoolMethods;
    this.callsByMethod = callsByMethod;
  }

  /** Internal name, e.g. {@code dev/latchkey/internal/SecretHasher}. */
  public String name() {
    return name;
  }

  /** Every Methodref and InterfaceMethodref in the constant pool. */
  public Set<MethodRef> referencedMethods() {
    return constantPoolMethods;
  }

  /** Per own method ({@code name + descriptor}): the methods it invokes or takes a handle of. */
  public Map<String, Set<MethodRef>> callsByMethod() {
    return callsByMethod;
  }

  /** The own methods (name + descriptor) that call or take a handle of {@code target}. */
  public List<String> methodsUsing(MethodRef target) {
    List<String> out = new ArrayList<>();
    callsByMethod.forEach((m, calls) -> {
      if (calls.contains(target)) {
        out.add(m);
      }
    });
    return out;
  }

  public static ClassFile parse(byte[] bytes) {
    try {
      return new Reader(bytes).read();
    } catch (IOException e) {
      throw new UncheckedIOException("not a readable class file", e);
    }
  }

  private static final class Reader {
    private final DataInputStream in;
    private int[] tags;
    private Object[] values; // Utf8: String; refs: int[]; others: null

    Reader(byte[] bytes) {
      this.in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    ClassFile read() throws IOException {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("bad magic number");
      }
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      readConstantPool();
      in.readUnsignedShort(); // access flags
      String thisName = className(in.readUnsignedShort());
      in.readUnsignedShort(); // super
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        in.readUnsignedShort();
      }
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        skipAttributes();
      }
      // methods: remember each method's code; invokedynamic needs the class's BootstrapMethods,
      // which come after the methods
      Map<String, List<byte[]>> codeByMethod = new LinkedHashMap<>();
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        in.readUnsignedShort(); // access
        String method = utf8(in.readUnsignedShort()) + utf8(in.readUnsignedShort());
        List<byte[]> codes = codeByMethod.computeIfAbsent(method, k -> new ArrayList<>());
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8(in.readUnsignedShort());
          byte[] info = new byte[in.readInt()];
          in.readFully(info);
          if (attribute.equals("Code")) {
            codes.add(code(info));
          }
        }
      }
      int[][] bootstrapArguments = new int[0][];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8(in.readUnsignedShort());
        byte[] info = new byte[in.readInt()];
        in.readFully(info);
        if (attribute.equals("BootstrapMethods")) {
          bootstrapArguments = bootstrapMethods(info);
        }
      }
      Set<MethodRef> poolMethods = new LinkedHashSet<>();
      for (int i = 1; i < tags.length; i++) {
        if (tags[i] == METHODREF || tags[i] == INTERFACE_METHODREF) {
          poolMethods.add(methodRef(i));
        }
      }
      Map<String, Set<MethodRef>> calls = new LinkedHashMap<>();
      for (var e : codeByMethod.entrySet()) {
        Set<MethodRef> targets = new LinkedHashSet<>();
        for (byte[] code : e.getValue()) {
          scanCode(code, bootstrapArguments, targets);
        }
        calls.put(e.getKey(), targets);
      }
      return new ClassFile(thisName, poolMethods, calls);
    }

    private void readConstantPool() throws IOException {
      int count = in.readUnsignedShort();
      tags = new int[count];
      values = new Object[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        tags[i] = tag;
        switch (tag) {
          case UTF8 -> values[i] = in.readUTF(); // modified UTF-8 with a u2 length, as in class files
          case INTEGER, FLOAT -> in.readInt();
          case LONG, DOUBLE -> {
            in.readLong();
            i++; // takes two slots
          }
          case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> values[i] = new int[] {in.readUnsignedShort()};
          case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC ->
              values[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
          case METHOD_HANDLE -> values[i] = new int[] {in.readUnsignedByte(), in.readUnsignedShort()};
          default -> throw new IOException("unknown constant pool tag " + tag + " at index " + i);
        }
      }
    }

    private void skipAttributes() throws IOException {
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        in.readUnsignedShort();
        in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
      }
    }

    private String utf8(int index) {
      if (tags[index] != UTF8) {
        throw new IllegalStateException("constant " + index + " is not Utf8");
      }
      return (String) values[index];
    }

    private int[] ref(int index) {
      return (int[]) values[index];
    }

    private String className(int index) {
      return utf8(ref(index)[0]);
    }

    private MethodRef methodRef(int index) {
      int[] r = ref(index);
      int[] nameAndType = ref(r[1]);
      return new MethodRef(className(r[0]), utf8(nameAndType[0]), utf8(nameAndType[1]));
    }

    /** The bytecode array of a Code attribute. */
    private static byte[] code(byte[] info) throws IOException {
      DataInputStream d = new DataInputStream(new ByteArrayInputStream(info));
      d.readUnsignedShort(); // max stack
      d.readUnsignedShort(); // max locals
      byte[] code = new byte[d.readInt()];
      d.readFully(code);
      return code;
    }

    /** For each bootstrap method, the constant-pool indexes of its static arguments. */
    private static int[][] bootstrapMethods(byte[] info) throws IOException {
      DataInputStream d = new DataInputStream(new ByteArrayInputStream(info));
      int[][] out = new int[d.readUnsignedShort()][];
      for (int i = 0; i < out.length; i++) {
        d.readUnsignedShort(); // the bootstrap method handle itself (e.g. LambdaMetafactory)
        int[] args = new int[d.readUnsignedShort()];
        for (int a = 0; a < args.length; a++) {
          args[a] = d.readUnsignedShort();
        }
        out[i] = args;
      }
      return out;
    }

    private void scanCode(byte[] code, int[][] bootstrapArguments, Set<MethodRef> targets) {
      int pc = 0;
      while (pc < code.length) {
        int op = code[pc] & 0xFF;
        switch (op) {
          case 0xb6, 0xb7, 0xb8, 0xb9 -> targets.add(methodRef(u2(code, pc + 1))); // invokevirtual..interface
          case 0xba -> { // invokedynamic: method handles among its bootstrap arguments
            int[] indy = ref(u2(code, pc + 1));
            for (int arg : bootstrapArguments[indy[0]]) {
              if (tags[arg] == METHOD_HANDLE) {
                int target = ref(arg)[1];
                if (tags[target] == METHODREF || tags[target] == INTERFACE_METHODREF) {
                  targets.add(methodRef(target));
                }
              }
            }
          }
          default -> {
            // not a call
          }
        }
        pc += length(code, pc);
      }
      if (pc != code.length) {
        throw new IllegalStateException("instruction walk overran the code by " + (pc - code.length) + " bytes");
      }
    }

    private static int u2(byte[] code, int at) {
      return ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
    }

    private static int s4(byte[] code, int at) {
      return ((code[at] & 0xFF) << 24) | ((code[at + 1] & 0xFF) << 16) | ((code[at + 2] & 0xFF) << 8) | (code[at + 3] & 0xFF);
    }

    /** The length of the instruction at {@code pc} (JVMS 6.5). */
    private static int length(byte[] code, int pc) {
      int op = code[pc] & 0xFF;
      if (op <= 0x0f) {
        return 1; // nop, constants
      }
      switch (op) {
        case 0x10, 0x12, 0xa9, 0xbc -> {
          return 2; // bipush, ldc, ret, newarray
        }
        case 0x11, 0x13, 0x14, 0x84, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7 -> {
          return 3; // sipush, ldc_w, ldc2_w, iinc, field access, invokes, new, anewarray, casts, ifnull
        }
        case 0xc5 -> {
          return 4; // multianewarray
        }
        case 0xb9, 0xba, 0xc8, 0xc9 -> {
          return 5; // invokeinterface, invokedynamic, goto_w, jsr_w
        }
        case 0xc4 -> {
          return (code[pc + 1] & 0xFF) == 0x84 ? 6 : 4; // wide iinc / wide load-store
        }
        case 0xaa -> { // tableswitch
          int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
          int low = s4(code, p + 4);
          int high = s4(code, p + 8);
          return p - pc + 12 + 4 * (high - low + 1);
        }
        case 0xab -> { // lookupswitch
          int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
          int pairs = s4(code, p + 4);
          return p - pc + 8 + 8 * pairs;
        }
        default -> {
          if (op >= 0x15 && op <= 0x19 || op >= 0x36 && op <= 0x3a) {
            return 2; // loads and stores with a local index
          }
          if (op >= 0x99 && op <= 0xa8) {
            return 3; // branches, goto, jsr
          }
          if (op > 0xc9) {
            throw new IllegalStateException("unknown opcode 0x" + Integer.toHexString(op) + " at " + pc);
          }
          return 1;
        }
      }
    }
  }
}
