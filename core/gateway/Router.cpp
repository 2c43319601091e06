// Gateway API route precedence: exact path over prefix, longer prefix first, then method, then
// more header matches, then the route seen first, then namespace/name alphabetically, then rule order.
#include "gateway/Router.h"

#include <QRandomGenerator>
#include <QRegularExpression>

#include <functional>

#include <tuple>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

using config::PathMatch;

struct Candidate
{
    const config::HttpRoute *route = nullptr;
    const config::RouteRule *rule = nullptr;
    int routeOrder = 0;
    int ruleOrder = 0;
    int pathKind = 0;   // 2 exact, 1 prefix, 0 regular expression
    qsizetype pathLength = 0;
    bool hasMethod = false;
    qsizetype headerCount = 0;
    QByteArray matchedPrefix;

    // True when this candidate takes precedence over `other`.
    bool beats(const Candidate &other) const
    {
        const auto rank = [](const Candidate &c) {
            return std::tuple(-c.pathKind, -c.pathLength, !c.hasMethod, -c.headerCount, c.routeOrder,
                              c.route->meta.ns, c.route->meta.name, c.ruleOrder);
        };
        return rank(*this) < rank(other);
    }
};

bool attaches(const config::HttpRoute &route, const QString &gatewayName)
{
    if (route.parentRefs.isEmpty())
        return true;
    for (const auto &parent : route.parentRefs) {
        if ((parent.kind.isEmpty() || parent.kind == u"Gateway"_s) && parent.name == gatewayName)
            return true;
    }
    return false;
}

// The matched prefix for a path match, or nullopt. PathPrefix matches whole path segments:
// "/bedrock" matches "/bedrock" and "/bedrock/v1/..." but not "/bedrockx".
std::optional<QByteArray> matchPath(const PathMatch &match, const QByteArray &path)
{
    const QByteArray value = match.value.toUtf8();
    switch (match.type) {
    case PathMatch::Type::Exact:
        return path == value ? std::optional(path) : std::nullopt;
    case PathMatch::Type::PathPrefix: {
        QByteArray prefix = value;
        while (prefix.endsWith('/'))
            prefix.chop(1);
        if (prefix.isEmpty())
            return QByteArray();
        if (path == prefix || (path.startsWith(prefix) && path.at(prefix.size()) == '/'))
            return prefix;
        return std::nullopt;
    }
    case PathMatch::Type::RegularExpression: {
        const QRegularExpression re(u"\\A(?:"_s + match.value + u")\\z"_s);
        return re.isValid() && re.match(QString::fromUtf8(path)).hasMatch() ? std::optional(path) : std::nullopt;
    }
    }
    return std::nullopt;
}

bool headersMatch(const config::RouteMatch &match, const http::HttpRequest &request)
{
    for (const auto &header : match.headers) {
        const QString actual = QString::fromUtf8(request.header(header.name.toUtf8()));
        if (header.type == config::HeaderMatch::Type::Exact) {
            if (actual != header.value || request.header(header.name.toUtf8()).isNull())
                return false;
        } else if (!QRegularExpression(header.value).match(actual).hasMatch()) {
            return false;
        }
    }
    return true;
}

std::optional<Candidate> bestMatchIn(const config::HttpRoute &route, int routeOrder, int ruleOrder,
                                     const http::HttpRequest &request)
{
    std::optional<Candidate> best;
    for (const auto &match : route.rules.at(ruleOrder).matches) {
        const auto prefix = matchPath(match.path, request.path);
        if (!prefix)
            continue;
        if (!match.method.isEmpty() && match.method.toUtf8() != request.method)
            continue;
        if (!headersMatch(match, request))
            continue;
        Candidate candidate;
        candidate.route = &route;
        candidate.rule = &route.rules.at(ruleOrder);
        candidate.routeOrder = routeOrder;
        candidate.ruleOrder = ruleOrder;
        candidate.pathKind = match.path.type == PathMatch::Type::Exact        ? 2
                             : match.path.type == PathMatch::Type::PathPrefix ? 1
                                                                               : 0;
        candidate.pathLength = match.path.value.size();
        candidate.hasMethod = !match.method.isEmpty();
        candidate.headerCount = match.headers.size();
        candidate.matchedPrefix = *prefix;
        if (!best || candidate.beats(*best))
            best = candidate;
    }
    return best;
}

} // namespace

std::optional<RouteMatchResult> Router::match(const config::ResourceSet &resources, const QString &gatewayName,
                                              const http::HttpRequest &request, const std::function<int(int)> &pick)
{
    std::optional<Candidate> best;
    for (int r = 0; r < resources.routes.size(); ++r) {
        const auto &route = resources.routes.at(r);
        if (!attaches(route, gatewayName))
            continue;
        for (int i = 0; i < route.rules.size(); ++i) {
            const auto candidate = bestMatchIn(route, r, i, request);
            if (candidate && (!best || candidate->beats(*best)))
                best = candidate;
        }
    }
    if (!best)
        return std::nullopt;

    RouteMatchResult result;
    result.routeName = best->route->meta.ns + u'/' + best->route->meta.name;
    result.matchedPrefix = best->matchedPrefix;
    result.suffix = request.path.mid(best->matchedPrefix.size());

    int totalWeight = 0;
    for (const auto &ref : best->rule->backendRefs)
        totalWeight += ref.weight.value_or(1);
    if (totalWeight > 0) {
        int ticket = pick ? pick(totalWeight) : QRandomGenerator::global()->bounded(totalWeight);
        for (const auto &ref : best->rule->backendRefs) {
            ticket -= ref.weight.value_or(1);
            if (ticket < 0) {
                const QString ns = ref.ns.isEmpty() ? best->route->meta.ns : ref.ns;
                result.backendName = ns + u'/' + ref.name;
                result.backendKind = ref.kind;
                break;
            }
        }
    }
    return result;
}

QString Router::pathTo(const config::ResourceSet &resources, const QString &backend)
{
    for (const auto &route : resources.routes) {
        for (const auto &rule : route.rules) {
            for (const auto &ref : rule.backendRefs) {
                if ((ref.ns.isEmpty() ? route.meta.ns : ref.ns) + u'/' + ref.name != backend)
                    continue;
                for (const auto &match : rule.matches) {
                    if (match.path.type != PathMatch::Type::RegularExpression)
                        return match.path.value;
                }
            }
        }
    }
    return {};
}

} // namespace quarry::gateway
