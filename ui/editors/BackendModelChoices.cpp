// The model picker's list for the Backends form.
#include "editors/BackendModelChoices.h"

#include "editors/BackendForm.h"
#include "editors/ModelListFetch.h"
#include "gateway/GatewayController.h"
#include "gateway/Router.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::ui {

BackendModelChoices::BackendModelChoices(BackendForm *form, gateway::GatewayController *gateway,
                                         const QStringList &offline, QObject *parent)
    : QObject(parent)
    , m_form(form)
    , m_gateway(gateway)
    , m_offline(offline)
    , m_fetch(new ModelListFetch(this))
{
    connect(m_fetch, &ModelListFetch::listed, this, [this](const QStringList &ids) {
        show(ids, u"%1 models listed by Bedrock for this backend, and the models Quarry prices"_s.arg(ids.size()));
    });
    connect(m_fetch, &ModelListFetch::failed, this, [this](const QString &why) {
        show({}, u"Bedrock's model list is not available (%1): these are the models Quarry prices"_s.arg(why));
    });
    show({}, u"The models Quarry prices; start the gateway to list what Bedrock offers"_s);
}

void BackendModelChoices::update(const config::Resource &resource, const config::ResourceSet &stored)
{
    const auto *backend = resource.as<config::AiBackend>();
    const QString address = m_gateway ? m_gateway->address() : QString();
    if (!backend || address.isEmpty())
        return;
    const QString key = backend->meta.ns + u'/' + backend->meta.name;
    QString prefix = gateway::Router::pathTo(stored, key);
    if (prefix.isEmpty())
        return; // no route reaches it yet: nothing to ask through
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    const QUrl url(u"http://"_s + address + prefix + u"/v1/models"_s);
    const QString asked = key + u'@' + url.toString();
    if (asked == m_asked)
        return;
    m_asked = asked;
    m_fetch->fetch(url, m_gateway->sessionKey());
}

void BackendModelChoices::show(const QStringList &listed, const QString &source)
{
    QStringList models = listed + m_offline;
    models.sort();
    models.removeDuplicates();
    m_form->setModelChoices(models);
    m_form->setModelSource(source);
    m_source = source;
}

} // namespace quarry::ui
