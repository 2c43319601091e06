// Gateway (gateway.networking.k8s.io/v1) manifest <-> Gateway.
#include "config/GatewayCodec.h"

#include "config/BudgetAnnotations.h"
#include "config/MetaCodec.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

Listener decodeListener(FieldReader &reader)
{
    static const QRegularExpression kSectionName(u"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"_s);
    reader.allowOnly({"name", "port", "protocol", "hostname", "allowedRoutes"});
    Listener listener;
    listener.name = reader.patternString(u"name"_s, kSectionName, FieldReader::Required);
    listener.port = reader.integer(u"port"_s, 1, 65535, FieldReader::Required).value_or(0);
    listener.protocol = reader.string(u"protocol"_s, FieldReader::Required, 255);
    listener.hostname = reader.string(u"hostname"_s, FieldReader::Optional, 253);
    if (auto allowed = reader.child(u"allowedRoutes"_s))
        listener.allowedRoutes = allowed->object();
    return listener;
}

} // namespace

Gateway GatewayCodec::decode(FieldReader &document)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "spec", "status"});
    Gateway gateway;
    gateway.meta = MetaCodec::decode(document);
    BudgetAnnotations::check(document, gateway.meta);
    auto spec = document.child(u"spec"_s, FieldReader::Required);
    if (!spec)
        return gateway;
    spec->allowOnly({"gatewayClassName", "listeners", "addresses"});
    gateway.gatewayClassName = spec->string(u"gatewayClassName"_s, FieldReader::Required, 253);
    for (FieldReader &item : spec->children(u"listeners"_s, FieldReader::Required, 1))
        gateway.listeners.append(decodeListener(item));
    for (FieldReader &item : spec->children(u"addresses"_s)) {
        item.allowOnly({"type", "value"});
        gateway.addresses.append({item.string(u"type"_s), item.string(u"value"_s, FieldReader::Required)});
    }
    return gateway;
}

QJsonObject GatewayCodec::encode(const Gateway &gateway)
{
    QJsonArray listeners;
    for (const Listener &listener : gateway.listeners) {
        QJsonObject object{{u"name"_s, listener.name},
                           {u"port"_s, listener.port},
                           {u"protocol"_s, listener.protocol}};
        if (!listener.hostname.isEmpty())
            object.insert(u"hostname"_s, listener.hostname);
        if (!listener.allowedRoutes.isEmpty())
            object.insert(u"allowedRoutes"_s, listener.allowedRoutes);
        listeners.append(object);
    }
    QJsonObject spec{{u"gatewayClassName"_s, gateway.gatewayClassName}, {u"listeners"_s, listeners}};
    if (!gateway.addresses.isEmpty()) {
        QJsonArray addresses;
        for (const GatewayAddress &address : gateway.addresses) {
            QJsonObject object{{u"value"_s, address.value}};
            if (!address.type.isEmpty())
                object.insert(u"type"_s, address.type);
            addresses.append(object);
        }
        spec.insert(u"addresses"_s, addresses);
    }
    return MetaCodec::document(kApiVersion, u"Gateway"_s, gateway.meta, spec);
}

} // namespace quarry::config
