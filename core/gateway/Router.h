// HTTPRoute matching with the Gateway API's precedence rules.
#pragma once

#include "config/Resources.h"
#include "http/HttpRequest.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace quarry::gateway {

struct RouteMatchResult
{
    QString routeName;        // "namespace/name"
    QString backendName;      // "namespace/name" of the chosen backendRef; empty if the rule has none
    QString backendKind;      // the ref's kind as written (AgentgatewayBackend, Backend, ...)
    QByteArray matchedPrefix; // the part of the path the match consumed (PathPrefix) or the whole path
    QByteArray suffix;        // the rest, still percent-encoded: picks the route type
};

class Router
{
public:
    // Routes attach to `gatewayName` through a parentRef of that name. On the desktop there is one
    // gateway, so the parentRef's namespace is not compared and a route without parentRefs attaches too.
    // `pick` chooses among weighted backendRefs: it gets the total weight and returns a number in
    // [0, total); the default draws at random.
    static std::optional<RouteMatchResult> match(const config::ResourceSet &resources,
                                                 const QString &gatewayName, const http::HttpRequest &request,
                                                 const std::function<int(int)> &pick = {});
    // A path that reaches `backend` ("namespace/name"): the first Exact or PathPrefix match of the
    // first rule that refers to it; empty when no route does. For the window's own requests
    // (Test, the model picker), which need some way in to that backend.
    static QString pathTo(const config::ResourceSet &resources, const QString &backend);
};

} // namespace quarry::gateway
