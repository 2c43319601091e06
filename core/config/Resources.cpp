// Small helpers on the configuration model's value types.
#include "config/Resources.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

QString Gateway::bindAddress() const
{
    if (!addresses.isEmpty() && !addresses.first().value.isEmpty())
        return addresses.first().value;
    return u"127.0.0.1"_s;
}

int Gateway::port() const
{
    for (const Listener &listener : listeners) {
        if (listener.protocol == "HTTP"_L1)
            return listener.port;
    }
    return 8080;
}

ResourceKind Resource::kind() const
{
    switch (object.index()) {
    case 0:
        return ResourceKind::Gateway;
    case 1:
        return ResourceKind::HttpRoute;
    case 2:
        return ResourceKind::Backend;
    case 3:
        return ResourceKind::ConfigMap;
    default:
        return ResourceKind::Secret;
    }
}

const ObjectMeta &Resource::meta() const
{
    return std::visit([](const auto &value) -> const ObjectMeta & { return value.meta; }, object);
}

namespace {

template <typename T>
std::optional<Resource> findIn(const QList<T> &list, const QString &ns, const QString &name)
{
    for (const T &item : list) {
        if (item.meta.ns == ns && item.meta.name == name)
            return Resource{item, {}};
    }
    return std::nullopt;
}

} // namespace

std::optional<Resource> ResourceSet::find(ResourceKind kind, const QString &ns, const QString &name) const
{
    switch (kind) {
    case ResourceKind::Gateway:
        return findIn(gateways, ns, name);
    case ResourceKind::HttpRoute:
        return findIn(routes, ns, name);
    case ResourceKind::Backend:
        return findIn(backends, ns, name);
    case ResourceKind::ConfigMap:
        return findIn(configMaps, ns, name);
    case ResourceKind::Secret:
        break;
    }
    return std::nullopt;
}

} // namespace quarry::config
