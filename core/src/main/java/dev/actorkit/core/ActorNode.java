package dev.actorkit.core;

import java.util.List;

/**
 * One actor in {@link ActorKit#tree()}: a snapshot, not a live view.
 *
 * @param name the actor's name
 * @param path its path inside the actor system, without the address
 * @param dispatcher the id of the dispatcher it runs on
 * @param supervision how its failures are handled
 * @param lifetime how it ends
 * @param children the actors it supervises, by name
 */
public record ActorNode(
    String name,
    String path,
    String dispatcher,
    String supervision,
    Lifetime lifetime,
    List<ActorNode> children) {

  public ActorNode {
    children = List.copyOf(children);
  }

  /** Finds a descendant by its path relative to this node ({@code "primitives/room"}), or null. */
  public ActorNode find(String relativePath) {
    ActorNode node = this;
    for (String element : relativePath.split("/")) {
      node =
          node.children.stream()
              .filter(child -> child.name.equals(element))
              .findFirst()
              .orElse(null);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** The subtree as indented text, one actor a line, with its dispatcher and supervision. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-34s %-36s %s%n", name + " (guardian)", dispatcher, supervision));
    renderChildren(out, "");
    return out.toString();
  }

  private void renderChildren(StringBuilder out, String indent) {
    for (int i = 0; i < children.size(); i++) {
      ActorNode child = children.get(i);
      boolean last = i == children.size() - 1;
      String label = indent + (last ? "└── " : "├── ") + child.name;
      String how =
          child.lifetime == Lifetime.KIT
              ? child.supervision
              : child.supervision + ", " + describe(child.lifetime);
      out.append(String.format("%-34s %-36s %s%n", label, child.dispatcher, how));
      child.renderChildren(out, indent + (last ? "    " : "│   "));
    }
  }

  private static String describe(Lifetime lifetime) {
    return lifetime.name().toLowerCase().replace('_', '-');
  }
}
