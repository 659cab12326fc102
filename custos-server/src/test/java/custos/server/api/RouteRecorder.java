package custos.server.api;

import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The routes features register, read by handing them a routing builder that only writes down what it is told. */
final class RouteRecorder {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace", "any");

    private RouteRecorder() {}

    /** "METHOD /path/{param}" for every route of the features. */
    static Set<String> routes(List<WebFeature> features) {
        Set<String> routes = new LinkedHashSet<>();
        HttpRouting.Builder[] self = new HttpRouting.Builder[1];
        self[0] = (HttpRouting.Builder) Proxy.newProxyInstance(RouteRecorder.class.getClassLoader(),
                new Class<?>[] {HttpRouting.Builder.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (METHODS.contains(name) && args != null && args.length > 0 && args[0] instanceof String path) {
                        routes.add(name.toUpperCase(Locale.ROOT) + " " + path);
                    } else if (name.equals("route") && args != null && args.length == 3
                            && args[0] instanceof io.helidon.http.Method m && args[1] instanceof String path) {
                        routes.add(m.text() + " " + path);
                    } else if (name.equals("register") || name.equals("route") && args != null && args.length == 1) {
                        throw new IllegalStateException("a feature registers a service or route object; teach RouteRecorder to read it");
                    }
                    return switch (name) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "RouteRecorder";
                        default -> method.getReturnType().isInstance(proxy) ? proxy : null;
                    };
                });
        features.forEach(f -> f.register(self[0]));
        return routes;
    }
}
