package io.tierflow.streams.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which policy applies to a dataset (a {@code P}: the decision's {@link TieringPolicy}, or anything a test names): the
 * scoped policies, the most specific that matches winning, over the catch-all
 * ({@code default}). Runs on every access event, so the prefixes are a character trie walked along the key once, and a
 * dataset under no scoped policy costs a walk of the few characters its key shares with some prefix.
 *
 * <p>Precedence, most specific first (each step decides only when the ones before tie):
 * <ol>
 *   <li>more conditions given (of prefix, owner, content type) beats fewer;</li>
 *   <li>a longer prefix beats a shorter one (no prefix is length 0);</li>
 *   <li>an owner condition beats a content-type condition;</li>
 *   <li>the name, in string order: two policies that reach this step and both match have the same scope, which the
 *       API refuses; a record produced straight to Kafka still gets one answer on every node.</li>
 * </ol>
 */
public final class PolicyScopes<P> {
    /** Most specific first; see the class comment. */
    public static final Comparator<Scoped<?>> PRECEDENCE = Comparator
            .comparingInt((Scoped<?> s) -> -s.scope().conditions())
            .thenComparingInt(s -> -s.scope().prefixLength())
            .thenComparingInt(s -> s.scope().owner() != null ? 0 : 1)
            .thenComparing(Scoped::name);

    private final P catchAll;
    private final List<Scoped<P>> byPrecedence;
    private final Node<P> root;
    private final boolean matchesOnOwnerOrContentType;

    /**
     * Which datasets a policy applies to: every condition given must hold. A prefix is compared character by
     * character; the owner exactly; the content type as a {@link #mediaType media type}.
     *
     * @param prefix key prefix, or null for any key
     * @param owner owner, or null for any
     * @param contentType media type in lower case without parameters, or null for any
     */
    public record Scope(String prefix, String owner, String contentType) {
        public Scope {
            if (prefix != null && prefix.isEmpty()) {
                throw new IllegalArgumentException("an empty prefix is no prefix: pass null");
            }
            if (prefix == null && owner == null && contentType == null) {
                throw new IllegalArgumentException("a scope needs a prefix, an owner or a content type");
            }
        }

        int conditions() {
            return (prefix != null ? 1 : 0) + (owner != null ? 1 : 0) + (contentType != null ? 1 : 0);
        }

        int prefixLength() {
            return prefix == null ? 0 : prefix.length();
        }

        /** Whether a dataset with this key, owner and media type is in the scope (the obvious way, for tests). */
        public boolean matches(String key, String datasetOwner, String datasetMediaType) {
            return (prefix == null || key.startsWith(prefix)) && ownerAndTypeMatch(datasetOwner, datasetMediaType);
        }

        private boolean ownerAndTypeMatch(String datasetOwner, String datasetMediaType) {
            return (owner == null || owner.equals(datasetOwner))
                    && (contentType == null || contentType.equals(datasetMediaType));
        }
    }

    /** A policy, by name, with the scope it applies to. */
    public record Scoped<P>(Scope scope, String name, P policy) {
        public Scoped {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(policy, "policy");
        }
    }

    private PolicyScopes(P catchAll, List<Scoped<P>> byPrecedence) {
        this.catchAll = catchAll;
        this.byPrecedence = byPrecedence;
        this.root = new Node<>();
        this.matchesOnOwnerOrContentType = byPrecedence.stream()
                .anyMatch(scoped -> scoped.scope().owner() != null || scoped.scope().contentType() != null);
        for (Scoped<P> scoped : byPrecedence) {
            Node<P> node = root;
            String prefix = scoped.scope().prefix();
            for (int i = 0; prefix != null && i < prefix.length(); i++) {
                node = node.childOrNew(prefix.charAt(i));
            }
            node.add(scoped); // in precedence order, so each node's list is too
        }
    }

    /** The catch-all {@code catchAll} under the {@code scoped} policies. */
    public static <P> PolicyScopes<P> of(P catchAll, List<Scoped<P>> scoped) {
        List<Scoped<P>> sorted = new ArrayList<>(scoped);
        sorted.sort(PRECEDENCE);
        return new PolicyScopes<>(Objects.requireNonNull(catchAll, "catchAll"), List.copyOf(sorted));
    }

    /**
     * The policy for a dataset: the most specific scoped policy that matches it, else the catch-all. Allocates
     * nothing.
     *
     * @param owner the inventory's owner, or null if not known (then only scopes without an owner can match)
     * @param mediaType the inventory's content type as {@link #mediaType} gives it, or null if not known
     */
    public P policyFor(String key, String owner, String mediaType) {
        if (byPrecedence.isEmpty()) {
            return catchAll;
        }
        Scoped<P> best = root.firstMatching(owner, mediaType);
        Node<P> node = root;
        for (int i = 0; i < key.length(); i++) {
            node = node.child(key.charAt(i));
            if (node == null) {
                break;
            }
            Scoped<P> here = node.firstMatching(owner, mediaType);
            // A deeper node's prefix is longer, so it loses only to a match with more conditions.
            if (here != null && (best == null || PRECEDENCE.compare(here, best) < 0)) {
                best = here;
            }
        }
        return best == null ? catchAll : best.policy();
    }

    /**
     * Whether any scope names an owner or a content type: if none does, {@link #policyFor} depends on the key alone,
     * and callers need not keep a dataset's owner and media type at hand.
     */
    public boolean matchesOnOwnerOrContentType() {
        return matchesOnOwnerOrContentType;
    }

    /** The policy for datasets no scope matches ({@code default}). */
    public P catchAll() {
        return catchAll;
    }

    /** The scoped policies, most specific first. */
    public List<Scoped<P>> scoped() {
        return byPrecedence;
    }

    /**
     * The media type of a content type as scopes compare it: without parameters or surrounding white space, in lower
     * case ({@code "Text/CSV; charset=utf-8"} is {@code text/csv}); null for null. Returns {@code contentType} itself
     * when it already is one.
     */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int end = contentType.indexOf(';');
        String type = end < 0 ? contentType : contentType.substring(0, end);
        type = type.strip();
        for (int i = 0; i < type.length(); i++) {
            if (Character.isUpperCase(type.charAt(i))) {
                return type.toLowerCase(Locale.ROOT);
            }
        }
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyScopes<?> other && catchAll.equals(other.catchAll)
                && byPrecedence.equals(other.byPrecedence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(catchAll, byPrecedence);
    }

    @Override
    public String toString() {
        return "PolicyScopes[catchAll=" + catchAll + ", scoped=" + byPrecedence + "]";
    }

    /** A node of the prefix trie: the character edges to its children, and the policies whose prefix ends here. */
    private static final class Node<P> {
        private char[] labels = new char[0];
        private List<Node<P>> children = new ArrayList<>(0);
        private List<Scoped<P>> here = new ArrayList<>(0);

        Node<P> child(char c) {
            char[] l = labels;
            for (int i = 0; i < l.length; i++) {
                if (l[i] == c) {
                    return children.get(i);
                }
            }
            return null;
        }

        Node<P> childOrNew(char c) {
            Node<P> existing = child(c);
            if (existing != null) {
                return existing;
            }
            Node<P> created = new Node<>();
            labels = Arrays.copyOf(labels, labels.length + 1);
            labels[labels.length - 1] = c;
            children.add(created);
            return created;
        }

        void add(Scoped<P> scoped) {
            here.add(scoped);
        }

        /** The most specific policy ending here whose owner and content type match (they share the prefix). */
        Scoped<P> firstMatching(String owner, String mediaType) {
            for (int i = 0; i < here.size(); i++) { // indexed: no iterator on the event path
                Scoped<P> s = here.get(i);
                if (s.scope().ownerAndTypeMatch(owner, mediaType)) {
                    return s;
                }
            }
            return null;
        }
    }
}
