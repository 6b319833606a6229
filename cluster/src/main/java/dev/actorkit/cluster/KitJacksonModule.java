package dev.actorkit.cluster;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.actorkit.core.KitMessage;

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
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@type")
  private abstract static class KitMessageMixin {}
}
