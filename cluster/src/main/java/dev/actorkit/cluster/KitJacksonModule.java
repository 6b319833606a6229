package dev.actorkit.cluster;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.actorkit.core.KitMessage;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import java.time.Duration;
import java.util.List;

/**
 * The Jackson module that lets actorkit's sealed protocols cross JVMs: every {@link KitMessage}
 * is written with its concrete class name ({@code "@type"}), so a field declared as an interface
 * ({@code Payload}, {@code Operation}, {@code Reply}) is read back as the record that was sent.
 * Jackson accepts a class name there only if it is a subtype of the declared type, so nothing but
 * {@code KitMessage} records can be instantiated from the wire. Registered in the cluster
 * module's {@code reference.conf} for the {@code jackson-cbor} binding.
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
    PutMixin(@JsonProperty("item") @ItemType Object item, @JsonProperty("replyTo") ActorRef<?> replyTo) {}

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
    PutAllMixin(@JsonProperty("items") @ItemType List<Object> items, @JsonProperty("replyTo") ActorRef<?> replyTo) {}

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

  /** Each item written as [class name, value]; only KitMessages, strings, numbers and the like make sense there. */
  @JacksonAnnotationsInside
  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.WRAPPER_ARRAY)
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  private @interface ItemType {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@type")
  private abstract static class KitMessageMixin {}
}
