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
    default:
        return ResourceKind::Secret;
    }
}

const ObjectMeta &Resource::meta() const
{
    return std::visit([](const auto &value) -> const ObjectMeta & { return value.meta; }, object);
}

} // namespace quarry::config
