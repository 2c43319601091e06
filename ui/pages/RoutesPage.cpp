// The Routes page: a ResourceBrowser over the RouteForm.
#include "pages/RoutesPage.h"

#include "ExportDialog.h"
#include "UiContext.h"
#include "editors/RouteForm.h"
#include "editors/ResourceBrowser.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

RoutesPage::RoutesPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_browser(new ResourceBrowser(context.config, new RouteForm, u"Routes"_s, this))
{
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
