// HTTPRoute (gateway.networking.k8s.io/v1) manifest <-> HttpRoute.
#include "config/HttpRouteCodec.h"

#include "config/Duration.h"
#include "config/MetaCodec.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

const QStringList kPathTypes{u"PathPrefix"_s, u"Exact"_s, u"RegularExpression"_s};
const QStringList kHeaderTypes{u"Exact"_s, u"RegularExpression"_s};
const QStringList kMethods{u"GET"_s,     u"HEAD"_s,    u"POST"_s,  u"PUT"_s,  u"DELETE"_s,
                           u"CONNECT"_s, u"OPTIONS"_s, u"TRACE"_s, u"PATCH"_s};
const QStringList kFilterTypes{u"RequestHeaderModifier"_s, u"URLRewrite"_s};
const QStringList kRewriteTypes{u"ReplacePrefixMatch"_s, u"ReplaceFullPath"_s};

void checkRegex(FieldReader &reader, const QString &key, const QString &pattern)
{
    const QRegularExpression regex(pattern);
    if (reader.ok() && !regex.isValid())
        reader.failField(key, u"invalid regular expression: %1"_s.arg(regex.errorString()));
}

ParentRef decodeParentRef(FieldReader &reader)
{
    reader.allowOnly({"group", "kind", "name", "namespace", "sectionName", "port"});
    ParentRef ref;
    ref.group = reader.string(u"group"_s);
    ref.kind = reader.string(u"kind"_s);
    ref.name = reader.string(u"name"_s, FieldReader::Required, 253);
    ref.ns = reader.string(u"namespace"_s);
    ref.sectionName = reader.string(u"sectionName"_s);
    ref.port = reader.integer(u"port"_s, 1, 65535);
    return ref;
}

RouteMatch decodeMatch(FieldReader &reader)
{
    reader.allowOnly({"path", "headers", "method"});
    RouteMatch match;
    if (auto path = reader.child(u"path"_s)) {
        path->allowOnly({"type", "value"});
        if (path->has(u"type"_s))
            match.path.type = PathMatch::Type(kPathTypes.indexOf(path->enumString(u"type"_s, kPathTypes)));
        if (path->has(u"value"_s))
            match.path.value = path->string(u"value"_s, FieldReader::Optional, 1024);
        if (match.path.type == PathMatch::Type::RegularExpression)
            checkRegex(*path, u"value"_s, match.path.value);
        else if (!match.path.value.startsWith(u'/'))
            path->failField(u"value"_s, u"must be an absolute path"_s);
    }
    for (FieldReader &item : reader.children(u"headers"_s)) {
        item.allowOnly({"type", "name", "value"});
        HeaderMatch header;
        if (item.has(u"type"_s))
            header.type = HeaderMatch::Type(kHeaderTypes.indexOf(item.enumString(u"type"_s, kHeaderTypes)));
        header.name = item.string(u"name"_s, FieldReader::Required, 256);
        header.value = item.string(u"value"_s, FieldReader::Required, 4096);
        if (header.type == HeaderMatch::Type::RegularExpression)
            checkRegex(item, u"value"_s, header.value);
        match.headers.append(header);
    }
    match.method = reader.enumString(u"method"_s, kMethods);
    return match;
}

BackendRef decodeBackendRef(FieldReader &reader)
{
    reader.allowOnly({"name", "namespace", "group", "kind", "weight", "port"});
    BackendRef ref;
    ref.name = reader.string(u"name"_s, FieldReader::Required, 253);
    ref.ns = reader.string(u"namespace"_s);
    ref.group = reader.string(u"group"_s);
    ref.kind = reader.string(u"kind"_s);
    ref.weight = reader.integer(u"weight"_s, 0, 1000000);
    ref.port = reader.integer(u"port"_s, 1, 65535);
    return ref;
}

QList<HeaderValue> decodeHeaderValues(FieldReader &reader, const QString &key)
{
    QList<HeaderValue> values;
    for (FieldReader &item : reader.children(key)) {
        item.allowOnly({"name", "value"});
        values.append({item.string(u"name"_s, FieldReader::Required, 256), item.string(u"value"_s)});
    }
    return values;
}

RouteFilter decodeFilter(FieldReader &reader)
{
    reader.allowOnly({"type", "requestHeaderModifier", "urlRewrite"});
    RouteFilter filter;
    const QString type = reader.string(u"type"_s, FieldReader::Required);
    if (!reader.ok())
        return filter;
    if (!kFilterTypes.contains(type)) {
        reader.failField(u"type"_s, u"filter \"%1\" is not supported by Quarry (supported: %2)"_s.arg(
                                         type, kFilterTypes.join(u", "_s)));
        return filter;
    }
    filter.type = RouteFilter::Type(kFilterTypes.indexOf(type));
    if (filter.type == RouteFilter::Type::RequestHeaderModifier) {
        if (auto modifier = reader.child(u"requestHeaderModifier"_s, FieldReader::Required)) {
            modifier->allowOnly({"set", "add", "remove"});
            filter.requestHeaderModifier.set = decodeHeaderValues(*modifier, u"set"_s);
            filter.requestHeaderModifier.add = decodeHeaderValues(*modifier, u"add"_s);
            filter.requestHeaderModifier.remove = modifier->stringList(u"remove"_s);
        }
        return filter;
    }
    if (auto rewrite = reader.child(u"urlRewrite"_s, FieldReader::Required)) {
        rewrite->allowOnly({"hostname", "path"});
        filter.urlRewrite.hostname = rewrite->string(u"hostname"_s);
        if (auto path = rewrite->child(u"path"_s)) {
            path->allowOnly({"type", "replacePrefixMatch", "replaceFullPath"});
            PathRewrite rewritePath;
            rewritePath.type = PathRewrite::Type(
                kRewriteTypes.indexOf(path->enumString(u"type"_s, kRewriteTypes, FieldReader::Required)));
            const bool prefix = rewritePath.type == PathRewrite::Type::ReplacePrefixMatch;
            rewritePath.value = path->string(prefix ? u"replacePrefixMatch"_s : u"replaceFullPath"_s,
                                             FieldReader::Required, 1024);
            filter.urlRewrite.path = rewritePath;
        }
    }
    return filter;
}

RouteRule decodeRule(FieldReader &reader)
{
    reader.allowOnly({"name", "matches", "filters", "backendRefs", "timeouts"});
    RouteRule rule;
    rule.name = reader.string(u"name"_s);
    for (FieldReader &item : reader.children(u"matches"_s))
        rule.matches.append(decodeMatch(item));
    if (rule.matches.isEmpty())
        rule.matches.append(RouteMatch{});
    for (FieldReader &item : reader.children(u"filters"_s))
        rule.filters.append(decodeFilter(item));
    for (FieldReader &item : reader.children(u"backendRefs"_s))
        rule.backendRefs.append(decodeBackendRef(item));
    if (auto timeouts = reader.child(u"timeouts"_s)) {
        timeouts->allowOnly({"request", "backendRequest"});
        rule.requestTimeoutMs = timeouts->duration(u"request"_s);
        rule.backendRequestTimeoutMs = timeouts->duration(u"backendRequest"_s);
    }
    return rule;
}

void insertIfSet(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QJsonObject encodeMatch(const RouteMatch &match)
{
    QJsonObject object{{u"path"_s,
                        QJsonObject{{u"type"_s, kPathTypes.at(int(match.path.type))},
                                    {u"value"_s, match.path.value}}}};
    if (!match.headers.isEmpty()) {
        QJsonArray headers;
        for (const HeaderMatch &header : match.headers)
            headers.append(QJsonObject{{u"type"_s, kHeaderTypes.at(int(header.type))},
                                       {u"name"_s, header.name},
                                       {u"value"_s, header.value}});
        object.insert(u"headers"_s, headers);
    }
    insertIfSet(object, u"method"_s, match.method);
    return object;
}

QJsonArray encodeHeaderValues(const QList<HeaderValue> &values)
{
    QJsonArray array;
    for (const HeaderValue &value : values)
        array.append(QJsonObject{{u"name"_s, value.name}, {u"value"_s, value.value}});
    return array;
}

QJsonObject encodeFilter(const RouteFilter &filter)
{
    QJsonObject object{{u"type"_s, kFilterTypes.at(int(filter.type))}};
    if (filter.type == RouteFilter::Type::RequestHeaderModifier) {
        const HeaderModifier &modifier = filter.requestHeaderModifier;
        QJsonObject body;
        if (!modifier.set.isEmpty())
            body.insert(u"set"_s, encodeHeaderValues(modifier.set));
        if (!modifier.add.isEmpty())
            body.insert(u"add"_s, encodeHeaderValues(modifier.add));
        if (!modifier.remove.isEmpty())
            body.insert(u"remove"_s, QJsonArray::fromStringList(modifier.remove));
        object.insert(u"requestHeaderModifier"_s, body);
        return object;
    }
    QJsonObject rewrite;
    insertIfSet(rewrite, u"hostname"_s, filter.urlRewrite.hostname);
    if (const auto &path = filter.urlRewrite.path) {
        const bool prefix = path->type == PathRewrite::Type::ReplacePrefixMatch;
        rewrite.insert(u"path"_s, QJsonObject{{u"type"_s, kRewriteTypes.at(int(path->type))},
                                              {prefix ? u"replacePrefixMatch"_s : u"replaceFullPath"_s,
                                               path->value}});
    }
    object.insert(u"urlRewrite"_s, rewrite);
    return object;
}

QJsonObject encodeBackendRef(const BackendRef &ref)
{
    QJsonObject object{{u"name"_s, ref.name}};
    insertIfSet(object, u"namespace"_s, ref.ns);
    insertIfSet(object, u"group"_s, ref.group);
    insertIfSet(object, u"kind"_s, ref.kind);
    if (ref.weight)
        object.insert(u"weight"_s, *ref.weight);
    if (ref.port)
        object.insert(u"port"_s, *ref.port);
    return object;
}

QJsonObject encodeRule(const RouteRule &rule)
{
    QJsonObject object;
    insertIfSet(object, u"name"_s, rule.name);
    QJsonArray matches, filters, backendRefs;
    for (const RouteMatch &match : rule.matches)
        matches.append(encodeMatch(match));
    for (const RouteFilter &filter : rule.filters)
        filters.append(encodeFilter(filter));
    for (const BackendRef &ref : rule.backendRefs)
        backendRefs.append(encodeBackendRef(ref));
    object.insert(u"matches"_s, matches);
    if (!filters.isEmpty())
        object.insert(u"filters"_s, filters);
    if (!backendRefs.isEmpty())
        object.insert(u"backendRefs"_s, backendRefs);
    QJsonObject timeouts;
    if (rule.requestTimeoutMs)
        timeouts.insert(u"request"_s, formatDuration(*rule.requestTimeoutMs));
    if (rule.backendRequestTimeoutMs)
        timeouts.insert(u"backendRequest"_s, formatDuration(*rule.backendRequestTimeoutMs));
    if (!timeouts.isEmpty())
        object.insert(u"timeouts"_s, timeouts);
    return object;
}

} // namespace

HttpRoute HttpRouteCodec::decode(FieldReader &document)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "spec", "status"});
    HttpRoute route;
    route.meta = MetaCodec::decode(document);
    auto spec = document.child(u"spec"_s, FieldReader::Required);
    if (!spec)
        return route;
    spec->allowOnly({"parentRefs", "hostnames", "rules"});
    for (FieldReader &item : spec->children(u"parentRefs"_s))
        route.parentRefs.append(decodeParentRef(item));
    route.hostnames = spec->stringList(u"hostnames"_s);
    for (FieldReader &item : spec->children(u"rules"_s))
        route.rules.append(decodeRule(item));
    return route;
}

QJsonObject HttpRouteCodec::encode(const HttpRoute &route)
{
    QJsonObject spec;
    if (!route.parentRefs.isEmpty()) {
        QJsonArray parents;
        for (const ParentRef &ref : route.parentRefs) {
            QJsonObject object{{u"name"_s, ref.name}};
            insertIfSet(object, u"group"_s, ref.group);
            insertIfSet(object, u"kind"_s, ref.kind);
            insertIfSet(object, u"namespace"_s, ref.ns);
            insertIfSet(object, u"sectionName"_s, ref.sectionName);
            if (ref.port)
                object.insert(u"port"_s, *ref.port);
            parents.append(object);
        }
        spec.insert(u"parentRefs"_s, parents);
    }
    if (!route.hostnames.isEmpty())
        spec.insert(u"hostnames"_s, QJsonArray::fromStringList(route.hostnames));
    QJsonArray rules;
    for (const RouteRule &rule : route.rules)
        rules.append(encodeRule(rule));
    if (!rules.isEmpty())
        spec.insert(u"rules"_s, rules);
    return MetaCodec::document(kApiVersion, u"HTTPRoute"_s, route.meta, spec);
}

} // namespace quarry::config
