// Applies the app's style.
#include "Theme.h"

#include <QApplication>
#include <QStyleFactory>

using namespace Qt::StringLiterals;

namespace quarry::ui {

void Theme::apply(QApplication &app)
{
    // Fusion keeps the platform theme's palette (dark or light); only the drawing is Fusion's.
    if (QStyle *fusion = QStyleFactory::create(u"Fusion"_s))
        app.setStyle(fusion);
}

} // namespace quarry::ui
