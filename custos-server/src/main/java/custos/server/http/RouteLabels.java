package custos.server.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * The route a request was answered by, as registered ("/v1/people/{id}/profile"), for metric labels: a closed set
 * (the routes the features register), never the raw path, whose ids would make a series per person. Features register
 * through {@link #recording}, which hands each handler a wrapper that notes its route on the request's thread; the
 * metrics filter reads it with {@link #answeredBy} once the request is done. Helidon SE runs a request's filters and
 * handler on one thread, which is what makes a thread-local the right carrier here.
 */
final class RouteLabels {
    /** The label of a request no registered route answered (unknown paths, refused before routing). */
    static final String NONE = "none";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace", "any");

    private RouteLabels() {}

    /** A routing builder that registers into {@code real}, each handler wrapped to note its route. */
    static HttpRouting.Builder recording(HttpRouting.Builder real) {
        HttpRouting.Builder[] self = new HttpRouting.Builder[1];
        self[0] = (HttpRouting.Builder) Proxy.newProxyInstance(RouteLabels.class.getClassLoader(),
                new Class<?>[] {HttpRouting.Builder.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (METHODS.contains(name) && args != null && args.length == 2 && args[0] instanceof String path
                            && args[1] instanceof Handler[] handlers) {
                        args = new Object[] {path, wrap(path, handlers)};
                    } else if (name.equals("route") && args != null && args.length == 3 && args[1] instanceof String path
                            && args[2] instanceof Handler handler) {
                        args = new Object[] {args[0], path, wrap(path, handler)};
                    }
                    if (name.equals("equals")) return proxy == args[0];
                    if (name.equals("hashCode")) return System.identityHashCode(proxy);
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return result == real ? self[0] : result;
                });
        return self[0];
    }

    private static Handler[] wrap(String route, Handler... handlers) {
        Handler[] wrapped = new Handler[handlers.length];
        for (int i = 0; i < handlers.length; i++) {
            wrapped[i] = wrap(route, handlers[i]);
        }
        return wrapped;
    }

    private static Handler wrap(String route, Handler handler) {
        return (req, res) -> {
            CURRENT.set(route);
            handler.handle(req, res);
        };
    }

    /** The route that answered the request this thread just served, and forgets it. */
    static String answeredBy() {
        String route = CURRENT.get();
        CURRENT.remove();
        return route == null ? NONE : route;
    }
}
