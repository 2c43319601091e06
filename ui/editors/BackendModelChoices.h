// Keeps the Backends form's model picker filled: the models Quarry can price at once (works
// offline), then, when the gateway runs and a route reaches the backend, what Bedrock lists for
// it (ListFoundationModels / ListInferenceProfiles through the gateway, with the backend's
// credentials). A failed or slow listing leaves the offline list; free text is always allowed.
#pragma once

#include "config/Resources.h"

#include <QObject>
#include <QStringList>

namespace quarry::gateway {
class GatewayController;
}

namespace quarry::ui {

class BackendForm;
class ModelListFetch;

class BackendModelChoices : public QObject
{
    Q_OBJECT
public:
    // `gateway` may be null (tests, screenshots): then only the offline list is offered.
    BackendModelChoices(BackendForm *form, gateway::GatewayController *gateway, const QStringList &offline,
                        QObject *parent = nullptr);

    // Asks for `backend`'s models unless they were asked for last time already (also when that
    // failed: typing in the form must not send a request per key).
    void update(const config::Resource &backend, const config::ResourceSet &stored);
    // The next update() asks again, e.g. after the gateway restarted with other credentials.
    void forget() { m_asked.clear(); }
    ModelListFetch *fetcher() const { return m_fetch; }
    // The picker's tooltip: where its list came from.
    QString source() const { return m_source; }

private:
    void show(const QStringList &listed, const QString &source);

    BackendForm *m_form;
    gateway::GatewayController *m_gateway;
    QStringList m_offline;
    ModelListFetch *m_fetch;
    QString m_asked; // "namespace/name@url" of the last request, so each edit does not ask again
    QString m_source;
};

} // namespace quarry::ui
