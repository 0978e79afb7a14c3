package dev.ioloop.test.autoconfigure;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Fails a context that uses {@link AutoConfigureIOLoop} without ioloop-spring-boot-starter, naming the missing
 * artifact, instead of leaving a later "No qualifying bean of type 'dev.ioloop.IOLoop'" to explain it. Imports
 * nothing itself.
 */
final class StarterPresent implements ImportSelector, BeanClassLoaderAware {

    /** The starter's main auto-configuration, which its imports file lists. */
    static final String STARTER_AUTO_CONFIGURATION = "dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration";

    private ClassLoader classLoader = StarterPresent.class.getClassLoader();

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        if (!ClassUtils.isPresent(STARTER_AUTO_CONFIGURATION, classLoader)) {
            throw new IllegalStateException("@AutoConfigureIOLoop on " + metadata.getClassName() + " imports the loops"
                    + " of ioloop-spring-boot-starter, which is not on the classpath: add the dependency"
                    + " dev.ioloop:ioloop-spring-boot-starter");
        }
        return new String[0];
    }
}
