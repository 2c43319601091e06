// The Backends page: a ResourceBrowser over the BackendForm.
#include "pages/BackendsPage.h"

#include "ExportDialog.h"
#include "UiContext.h"
#include "config/ConfigStore.h"
#include "editors/BackendForm.h"
#include "editors/BackendModelChoices.h"
#include "editors/Picker.h"
#include "gateway/GatewayController.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "telemetry/PriceTable.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

BackendsPage::BackendsPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_browser(new ResourceBrowser(context.config, new BackendForm, u"Backends"_s, this))
{
    auto *form = static_cast<BackendForm *>(m_browser->editor()->form());
    // The models Quarry can price work offline; Bedrock's own list comes when the gateway runs.
    auto *models = new BackendModelChoices(form, context.gateway, telemetry::PriceTable::shipped().modelIds(), this);
    const auto askForModels = [this, models, &context] {
        if (const auto resource = m_browser->editor()->resource())
            models->update(*resource, context.config->snapshot());
    };
    // Asked when the user opens the list, not on its own: each listing is a request the user
    // would otherwise find in Traffic without having made it.
    connect(form->modelPicker(), &Picker::popupRequested, this, askForModels);
    if (context.gateway)
        connect(context.gateway, &gateway::GatewayController::stateChanged, models, &BackendModelChoices::forget);
    connect(form, &ResourceForm::newSecretRequested, this, &BackendsPage::newSecretRequested);
    // Export sits with the resources it writes out: the whole configuration, for a cluster.
    auto *exportButton = new QPushButton(u"E&xport for a cluster…"_s, this);
    connect(exportButton, &QPushButton::clicked, this, [this, &context] { ExportDialog::open(context, this); });
    auto *toolbar = new QHBoxLayout;
    toolbar->addStretch(1);
    toolbar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(toolbar);
    layout->addWidget(m_browser);
}

} // namespace quarry::ui
