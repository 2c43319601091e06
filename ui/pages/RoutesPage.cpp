// The Routes page: a ResourceBrowser over the RouteForm.
#include "pages/RoutesPage.h"

#include "UiContext.h"
#include "editors/RouteForm.h"
#include "editors/ResourceBrowser.h"

#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

RoutesPage::RoutesPage(UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_browser(new ResourceBrowser(context.config, new RouteForm, u"Routes"_s, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
}

} // namespace quarry::ui
