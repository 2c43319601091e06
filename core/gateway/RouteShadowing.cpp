// Shadowed route matches, found by asking the Router where a probe request goes.
#include "gateway/RouteShadowing.h"

#include "gateway/Router.h"

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

// The request a client would send to reach exactly this match.
http::HttpRequest probeFor(const config::RouteMatch &match)
{
    http::HttpRequest request;
    request.method = match.method.isEmpty() ? "POST"_ba : match.method.toUtf8();
    request.path = match.path.value.isEmpty() ? "/"_ba : match.path.value.toUtf8();
    request.target = request.path;
    for (const auto &header : match.headers) {
        if (header.type == config::HeaderMatch::Type::Exact)
            request.headers.append({header.name.toUtf8(), header.value.toUtf8()});
    }
    return request;
}

// The set with `route` in place of a stored route of the same name, or added after the others
// (a new route is the last one seen, as it would be once saved).
config::ResourceSet withRoute(config::ResourceSet resources, const config::HttpRoute &route)
{
    for (auto &existing : resources.routes) {
        if (existing.meta.ns == route.meta.ns && existing.meta.name == route.meta.name) {
            existing = route;
            return resources;
        }
    }
    resources.routes.append(route);
    return resources;
}

} // namespace

QList<ShadowedMatch> RouteShadowing::find(const config::ResourceSet &resources, const QString &gatewayName,
                                          const config::HttpRoute &route)
{
    const config::ResourceSet set = withRoute(resources, route);
    const QString self = route.meta.ns + u'/' + route.meta.name;
    QList<ShadowedMatch> shadowed;
    for (int r = 0; r < route.rules.size(); ++r) {
        const auto &matches = route.rules.at(r).matches;
        for (int m = 0; m < matches.size(); ++m) {
            const auto &match = matches.at(m);
            if (match.path.type == config::PathMatch::Type::RegularExpression)
                continue;
            // A fixed pick: which backend is drawn does not matter here, only which route wins.
            const auto result = Router::match(set, gatewayName, probeFor(match), [](int) { return 0; });
            if (result && result->routeName != self)
                shadowed.append({r, m, match.path.value, result->routeName});
        }
    }
    return shadowed;
}

} // namespace quarry::gateway
