// Which of a route's matches can never be reached because another route wins every request made
// to it: what the Routes form warns about. It asks the Router itself, so the warning and the
// gateway never disagree on precedence.
#pragma once

#include "config/Resources.h"

#include <QList>
#include <QString>

namespace quarry::gateway {

struct ShadowedMatch
{
    int rule = 0;    // index in the route's rules
    int match = 0;   // index in that rule's matches
    QString path;    // the match's path value, e.g. "/bedrock"
    QString winner;  // "namespace/name" of the route that takes its requests
};

class RouteShadowing
{
public:
    // `route` as edited (it may not be saved yet, or may replace a stored one of the same name).
    // A match is probed with a request to exactly its path, its method and its exact headers;
    // regular-expression paths have no single probe and are not checked.
    static QList<ShadowedMatch> find(const config::ResourceSet &resources, const QString &gatewayName,
                                     const config::HttpRoute &route);
};

} // namespace quarry::gateway
