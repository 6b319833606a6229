package dev.actorkit.cluster;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Jackson module that lets actorkit's sealed protocols cross JVMs: every {@link KitMessage} is
 * written with its concrete class name ({@code "@type"}), so a field declared as an interface
 * ({@code Payload}, {@code Operation}, {@code Reply}) is read back as the record that was sent.
 * Every type id read from the wire is checked against {@link AllowList} before any class is
 * initialized or built: only {@code KitMessage}s and a few value types (a buffer's items may be
 * strings and numbers) can be instantiated from the wire. Registered in the cluster module's {@code
 * reference.conf} for the {@code jackson-cbor} binding.
 */
public final class KitJacksonModule extends SimpleModule {

  public KitJacksonModule() {
    super("actorkit");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.setMixInAnnotations(KitMessage.class, KitMessageMixin.class);
    // A bounded buffer is generic over its items, so their declared type is Object and Jackson
    // would write no type id: a record would come back as a map. Name the class of each item.
    context.setMixInAnnotations(BoundedBuffer.Put.class, PutMixin.class);
    context.setMixInAnnotations(BoundedBuffer.Offer.class, OfferMixin.class);
    context.setMixInAnnotations(BoundedBuffer.PutAll.class, PutAllMixin.class);
    context.setMixInAnnotations(BoundedBuffer.Taken.class, TakenMixin.class);
  }

  // Records are read through their constructors, so each item field is annotated on the
  // accessor (for writing) and on a constructor of the record's shape (for reading).

  private abstract static class PutMixin {
    @JsonCreator
    PutMixin(
        @JsonProperty("item") @ItemType Object item,
        @JsonProperty("replyTo") ActorRef<?> replyTo) {}

    @ItemType
    abstract Object item();
  }

  private abstract static class OfferMixin {
    @JsonCreator
    OfferMixin(
        @JsonProperty("item") @ItemType Object item,
        @JsonProperty("timeout") Duration timeout,
        @JsonProperty("replyTo") ActorRef<?> replyTo) {}

    @ItemType
    abstract Object item();
  }

  private abstract static class PutAllMixin {
    @JsonCreator
    PutAllMixin(
        @JsonProperty("items") @ItemType List<Object> items,
        @JsonProperty("replyTo") ActorRef<?> replyTo) {}

    @ItemType
    abstract List<Object> items();
  }

  private abstract static class TakenMixin {
    @JsonCreator
    TakenMixin(
        @JsonProperty("items") @ItemType List<Object> items,
        @JsonProperty("deliveryId") long deliveryId,
        @JsonProperty("level") int level) {}

    @ItemType
    abstract List<Object> items();
  }

  /**
   * Each item written as [class name, value]; read back only if the class is on {@link AllowList}.
   * Put it on any field (or record component) of generic items, declared {@code Object} or {@code
   * List<Object>}, in a record that crosses JVMs or is kept in a durable store: without it a record
   * item would come back as a map. Only items for which {@link #isPayload} holds can be read back.
   */
  @JacksonAnnotationsInside
  @JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, include = JsonTypeInfo.As.WRAPPER_ARRAY)
  @JsonTypeIdResolver(AllowList.class)
  @Retention(RetentionPolicy.RUNTIME)
  public @interface ItemType {}

  /**
   * Whether {@code item} is one of the documented payload types, which a generic item field ({@link
   * ItemType}) reads back from the wire or a store: a {@link KitMessage}, a string, a boolean, a
   * character or a number ({@code Byte} to {@code Long}, {@code Float}, {@code Double}, {@code
   * BigInteger}, {@code BigDecimal}). False for null.
   */
  public static boolean isPayload(Object item) {
    return item instanceof KitMessage
        || (item != null && AllowList.VALUE_TYPES.contains(item.getClass().getName()));
  }

  @JsonTypeInfo(
      use = JsonTypeInfo.Id.CUSTOM,
      include = JsonTypeInfo.As.PROPERTY,
      property = "@type")
  @JsonTypeIdResolver(AllowList.class)
  private abstract static class KitMessageMixin {}

  /**
   * The only classes a type id from the wire may name: a {@link KitMessage}, or one of the
   * documented value types ({@link #VALUE_TYPES}: strings, booleans, characters and numbers). The
   * name is checked before anything is built: a value type by its name alone, a {@code KitMessage}
   * by loading its class without initializing it (no static initializer of a refused class runs). A
   * refused id fails the message's deserialization; Akka logs it with the class name and drops the
   * message, and the association stays up.
   */
  static final class AllowList extends TypeIdResolverBase {

    /** The value types, besides {@code KitMessage}s, that a generic item (a buffer's) may be. */
    static final Set<String> VALUE_TYPES =
        Set.of(
                String.class,
                Boolean.class,
                Character.class,
                Byte.class,
                Short.class,
                Integer.class,
                Long.class,
                Float.class,
                Double.class,
                BigInteger.class,
                BigDecimal.class)
            .stream()
            .map(Class::getName)
            .collect(Collectors.toUnmodifiableSet());

    public AllowList() {}

    @Override
    public String idFromValue(Object value) {
      return value.getClass().getName();
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> suggestedType) {
      return value == null ? suggestedType.getName() : idFromValue(value);
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) throws IOException {
      Class<?> type;
      if (VALUE_TYPES.contains(id)) {
        try {
          type = Class.forName(id);
        } catch (ClassNotFoundException impossible) {
          throw new IllegalStateException(impossible);
        }
      } else {
        type = loadWithoutInitializing(id);
        if (type == null || !KitMessage.class.isAssignableFrom(type)) {
          throw InvalidTypeIdException.from(
              null,
              "refused from the wire: "
                  + id
                  + " is neither a KitMessage nor one of "
                  + new TreeSet<>(VALUE_TYPES),
              null,
              id);
        }
      }
      return context.constructType(type);
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
      return JsonTypeInfo.Id.CUSTOM;
    }

    private static Class<?> loadWithoutInitializing(String name) {
      try {
        return Class.forName(name, false, KitJacksonModule.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError unknown) {
        return null;
      }
    }
  }
}
