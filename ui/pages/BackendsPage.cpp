// The Backends page: a ResourceBrowser over the BackendForm.
#include "pages/BackendsPage.h"

#include "UiContext.h"
#include "editors/BackendForm.h"
#include "editors/ResourceBrowser.h"

#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

BackendsPage::BackendsPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_browser(new ResourceBrowser(context.config, new BackendForm, u"Backends"_s, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
}

} // namespace quarry::ui
