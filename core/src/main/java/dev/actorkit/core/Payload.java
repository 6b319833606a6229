package dev.actorkit.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A value that a pipe or a manager carries, inside a JVM and between JVMs: a string, a number, a
 * byte array, a {@link KitMessage}, or (for the manager only) a list of these.
 *
 * <p>The variants are records, so Jackson CBOR moves them between JVMs unchanged (the cluster
 * module binds {@code KitMessage} to it). {@link #of(Object)} is the only way in from plain Java:
 * it refuses anything else with an {@link IllegalArgumentException} that names the type, so an
 * unsendable value fails at the sender, not somewhere in the middle. {@link #value()} gives back
 * the Java value, of the type that was sent (an {@code Integer} stays an {@code Integer}). Byte
 * arrays are copied in and out, so neither side can change what the other sees.
 */
public sealed interface Payload extends KitMessage {

  /** The Java value this payload carries, of the type it was made from. */
  Object value();

  /**
   * How a trace shows this payload: its value ({@code Hello!}, {@code 42}, a list of values), a
   * byte array by its length.
   */
  default String describe() {
    return this instanceof Bytes bytes ? bytes.toString() : String.valueOf(value());
  }

  /** Whether this is a scalar a pipe may carry (everything but {@link Items}). */
  default boolean isScalar() {
    return !(this instanceof Items);
  }

  /**
   * A payload for a string, number, byte array or {@link KitMessage}; lists are refused (see {@link
   * #nested}).
   */
  static Payload of(Object value) {
    if (value instanceof List<?>) {
      throw new IllegalArgumentException(
          "a pipe carries KitMessage, String, numbers or byte[]; a list is not one of them (send its items, or use a SharedList)");
    }
    return nested(value);
  }

  /**
   * Like {@link #of}, but also accepts a {@link List} of such values (recursively), as a manager
   * stores them.
   */
  static Payload nested(Object value) {
    if (value instanceof Payload payload) {
      return payload;
    }
    if (value instanceof String text) {
      return new Text(text);
    }
    if (value instanceof Integer number) {
      return new IntValue(number);
    }
    if (value instanceof Long number) {
      return new LongValue(number);
    }
    if (value instanceof Double number) {
      return new DoubleValue(number);
    }
    if (value instanceof Float number) {
      return new FloatValue(number);
    }
    if (value instanceof BigInteger number) {
      return new BigIntegerValue(number.toString());
    }
    if (value instanceof BigDecimal number) {
      return new BigDecimalValue(number.toString());
    }
    if (value instanceof byte[] bytes) {
      return new Bytes(bytes);
    }
    if (value instanceof KitMessage message) {
      return new Message(message);
    }
    if (value instanceof List<?> list) {
      List<Payload> items = new ArrayList<>(list.size());
      for (Object item : list) {
        items.add(nested(item));
      }
      return new Items(items);
    }
    throw new IllegalArgumentException(
        "only KitMessage, String, Integer, Long, Double, Float, BigInteger, BigDecimal and byte[] values can be sent, not "
            + (value == null ? "null" : value.getClass().getName()));
  }

  /** A string. */
  record Text(String text) implements Payload {
    public Text {
      if (text == null) {
        throw new IllegalArgumentException("text must not be null");
      }
    }

    @Override
    public Object value() {
      return text;
    }
  }

  /** An {@code Integer}. */
  record IntValue(int number) implements Payload {
    @Override
    public Object value() {
      return number;
    }
  }

  /** A {@code Long}. */
  record LongValue(long number) implements Payload {
    @Override
    public Object value() {
      return number;
    }
  }

  /** A {@code Double}. */
  record DoubleValue(double number) implements Payload {
    @Override
    public Object value() {
      return number;
    }
  }

  /** A {@code Float}. */
  record FloatValue(float number) implements Payload {
    @Override
    public Object value() {
      return number;
    }
  }

  /** A {@code BigInteger}, in decimal digits. */
  record BigIntegerValue(String digits) implements Payload {
    @Override
    public Object value() {
      return new BigInteger(digits);
    }
  }

  /** A {@code BigDecimal}, as its {@code toString()}. */
  record BigDecimalValue(String digits) implements Payload {
    @Override
    public Object value() {
      return new BigDecimal(digits);
    }
  }

  /** A byte array, copied in and out. */
  record Bytes(byte[] bytes) implements Payload {
    public Bytes {
      bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public Object value() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Bytes[" + bytes.length + " bytes]";
    }
  }

  /** A message of some actorkit protocol, which crosses JVMs as any KitMessage does. */
  record Message(KitMessage message) implements Payload {
    public Message {
      if (message == null) {
        throw new IllegalArgumentException("message must not be null");
      }
    }

    @Override
    public Object value() {
      return message;
    }
  }

  /**
   * An immutable list of payloads (managers only). {@link #value()} is an unmodifiable {@code List}
   * of Java values.
   */
  record Items(List<Payload> items) implements Payload {
    public Items {
      items = List.copyOf(items);
    }

    @Override
    public Object value() {
      List<Object> values = new ArrayList<>(items.size());
      for (Payload item : items) {
        values.add(item.value());
      }
      return Collections.unmodifiableList(values);
    }

    /** This list with {@code item} added at the end. */
    public Items plus(Payload item) {
      List<Payload> longer = new ArrayList<>(items.size() + 1);
      longer.addAll(items);
      longer.add(item);
      return new Items(longer);
    }
  }
}
